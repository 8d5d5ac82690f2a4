using System.Globalization;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Networks;
using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// The Docker target: each replica is a container (created through Testcontainers from the service's
/// <see cref="DockerRuntime"/>) on a private network of its own, where every service is reachable by its name (Docker's
/// DNS balances over the replicas' aliases); from the test process each service's stable endpoint is the chaos core's
/// balancing TCP proxy in front of the replicas' container addresses. A replica that dies is replaced by a new container,
/// as a ReplicaSet replaces a pod. PodKill signals containers; network faults run the network agent in a helper
/// container that shares the replica's network namespace (<c>--network container:X</c>, NET_ADMIN).
/// </summary>
/// <remarks>
/// Clean-up: faults are reverted and containers and the network removed on dispose; a <see cref="AppDomain.ProcessExit"/>
/// hook removes containers when the owner exits without disposing. When the owner is SIGKILLed, the next session's sweep
/// removes what the journal names and, journal or not, every container and network labelled with a dead owner on this
/// host (what Testcontainers' Ryuk would do, without needing its image). Everything in a replica's namespace (the
/// agent's iptables rules) goes with the replica's container.
/// </remarks>
public sealed class DockerTarget : ChaosTargetBase
{
    private readonly SystemUnderTest _system;
    private readonly Dictionary<string, TcpProxy> _proxies = new(StringComparer.Ordinal);
    private readonly Dictionary<int, TcpProxy> _hostForwards = [];
    private readonly Dictionary<string, DockerReplicaSet> _replicaSets = new(StringComparer.Ordinal);
    private readonly HttpClient _readiness;
    private readonly CancellationTokenSource _stopping = new();
    private DockerEngine? _engine;
    private INetwork? _network;
    private Task? _monitor;
    private System.Net.IPAddress? _gateway;

    /// <summary>Creates the target; nothing runs until <see cref="ChaosTargetBase.StartAsync"/>.</summary>
    /// <exception cref="ChaosValidationException">The options are invalid, or a service has no valid <see cref="DockerRuntime"/>.</exception>
    public DockerTarget(SystemUnderTest system, DockerTargetOptions? options = null)
        : this(system, Validated(options), Guid.NewGuid().ToString("N")[..8])
    {
    }

    private DockerTarget(SystemUnderTest system, DockerTargetOptions options, string suffix)
        : base(
            string.Create(CultureInfo.InvariantCulture, $"ks-{DateTime.UtcNow:yyyyMMddHHmmss}-{Environment.ProcessId}-{suffix}"),
            options.JournalDirectory,
            options.LoggerFactory?.CreateLogger<DockerTarget>() ?? NullLogger<DockerTarget>.Instance)
    {
        ArgumentNullException.ThrowIfNull(system);
        Options = options;
        var errors = new List<string>();
        foreach (var service in system.Services)
        {
            if (service.GetRuntime<DockerRuntime>() is { } runtime)
            {
                runtime.Validate(service.Name, errors);
            }
            else
            {
                errors.Add($"Service '{service.Name}' has no DockerRuntime; add one with AddRuntime(new DockerRuntime(\"image:tag\")).");
            }
        }

        if (errors.Count > 0)
        {
            throw new ChaosValidationException("The system under test for the Docker target", errors) { Target = DockerTargetConstants.Name };
        }

        _system = system;
        _readiness = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        ContainerPrefix = "ks-" + suffix;
    }

    /// <inheritdoc />
    public override string Name => DockerTargetConstants.Name;

    /// <summary>The private network the replicas run on (set once started).</summary>
    public string? NetworkName => _network?.Name;

    internal DockerTargetOptions Options { get; }

    internal TimeProvider Time => Options.TimeProvider;

    internal string ContainerPrefix { get; }

    internal DockerEngine Engine => _engine ?? throw new InvalidOperationException("Call StartAsync first.");

    internal ChaosJournal Journal => SessionJournal ?? throw new InvalidOperationException("Call StartAsync first.");

    internal static string OwnerLabelValue { get; } = $"{Environment.MachineName}/{ProcessIdentity.Current.Pid}/{ProcessIdentity.Current.StartToken}";

    /// <inheritdoc />
    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _engine ??= DockerEngine.Connect();
        await SweepAsync(cancellationToken).ConfigureAwait(false);
        await RequireImagesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task StartCoreAsync(ChaosJournal journal, CancellationToken cancellationToken)
    {
        var networkName = ContainerPrefix + "-net";
        journal.AddResource(new JournalResource("network", DockerTargetConstants.NetworkResource, Detail: networkName));
        var network = new NetworkBuilder()
            .WithName(networkName)
            .WithLabel(Labels(DockerTargetLabels.Network))
            .WithCleanUp(false)
            .Build();
        await network.CreateAsync(cancellationToken).ConfigureAwait(false);
        _network = network;
        var inspect = await Engine.Client.Networks.InspectNetworkAsync(networkName, cancellationToken).ConfigureAwait(false);
        _gateway = inspect.IPAM?.Config?.Select(c => System.Net.IPAddress.TryParse(c.Gateway, out var ip) ? ip : null).FirstOrDefault(ip => ip is not null);

        // Events from a second before now: the stream is open before the first container starts, or replays it.
        var since = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1).ToString(CultureInfo.InvariantCulture);
        _monitor = MonitorAsync(since);

        foreach (var service in _system.Services)
        {
            var proxy = new TcpProxy(service.Name, Time, Logger);
            _proxies[service.Name] = proxy;
            _replicaSets[service.Name] = new DockerReplicaSet(service, service.GetRuntime<DockerRuntime>()!, this, proxy, _readiness, Logger);
        }

        await Task.WhenAll(_replicaSets.Values.Select(s => s.StartAsync(network, cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<Instance>> GetInstancesAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Instance>>([.. LiveReplicas().Select(r => r.ToInstance())]);

    /// <summary>Every replica container of every service that has not died.</summary>
    internal IEnumerable<DockerReplica> LiveReplicas() => _replicaSets.Values.SelectMany(s => s.Replicas).Where(r => r.State != InstanceState.Terminated);

    /// <inheritdoc />
    public override Uri GetEndpoint(string service) =>
        _proxies.TryGetValue(service, out var proxy)
            ? proxy.Endpoint
            : throw new ChaosTargetException($"No service '{service}'. Services: {string.Join(", ", _system.Services.Select(s => s.Name))}.") { Target = Name };

    /// <inheritdoc />
    public override bool Supports(FaultOptions fault, out string? reason)
    {
        reason = fault is PodKillOptions or LatencyOptions or ResetPeerOptions or BlackholeOptions or BandwidthOptions
            ? null
            : $"the Docker target supports PodKill, Latency, ResetPeer, Blackhole and Bandwidth, not {fault?.GetType().Name}";
        return reason is null;
    }

    /// <inheritdoc />
    public override async ValueTask<IFaultHandle> InjectAsync(FaultInjection injection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(injection);
        _ = SessionJournal ?? throw new InvalidOperationException("Call StartAsync before InjectAsync.");
        var victims = injection.Instances.Select(i => FindReplica(injection, i.Id)).ToArray();
        if (injection.Fault is PodKillOptions)
        {
            var kill = new DockerPodKillHandle(injection, victims, this, Logger);
            Track(kill);
            await kill.InjectAsync(cancellationToken).ConfigureAwait(false);
            return kill;
        }

        var network = (NetworkFaultOptions)injection.Fault;
        var sources = network.From is { } from ? SourcesOf(injection, from, victims) : [];
        var handle = new AgentFaultHandle(injection, victims.Select(v => v.Replica).ToArray(), sources, this, Logger);
        Track(handle);
        await handle.InjectAsync(cancellationToken).ConfigureAwait(false);
        return handle;
    }

    /// <inheritdoc />
    public override async ValueTask<SweepReport> SweepAsync(CancellationToken cancellationToken = default)
    {
        _engine ??= DockerEngine.Connect();
        return await new DockerSweeper(_engine, Options.JournalDirectory, Logger).SweepAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override ValueTask ReleaseAsync()
    {
        _readiness.Dispose();
        _stopping.Dispose();
        _engine?.Dispose();
        return ValueTask.CompletedTask;
    }

    internal DockerReplicaSet GetReplicaSet(string service) => _replicaSets[service];

    /// <summary>The labels of everything this session creates, with the role.</summary>
    internal Dictionary<string, string> Labels(string role) => new(StringComparer.Ordinal)
    {
        [DockerTargetConstants.TargetLabel] = Name,
        [DockerTargetConstants.RunIdLabel] = RunId,
        [DockerTargetConstants.OwnerLabel] = OwnerLabelValue,
        [DockerTargetConstants.RoleLabel] = role,
    };

    /// <summary>
    /// <paramref name="value"/> with a loopback URL of the test process (<c>http://127.0.0.1:5000/ofrep</c>) rewritten to
    /// a forwarder on the private network's gateway that reaches it (<c>http://172.18.0.1:41234/ofrep</c>); any other
    /// value as is. The forwarder is the core's TCP proxy, one per port, living as long as the target.
    /// </summary>
    internal string ReachableFromContainers(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !uri.IsLoopback || uri.Scheme is not ("http" or "https") || _gateway is null)
        {
            return value;
        }

        TcpProxy forward;
        lock (_hostForwards)
        {
            if (!_hostForwards.TryGetValue(uri.Port, out forward!))
            {
                forward = new TcpProxy($"host:{uri.Port}", Time, Logger, bindAddress: _gateway);
                forward.AddBackend("host", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, uri.Port));
                _hostForwards[uri.Port] = forward;
            }
        }

        return new UriBuilder(uri) { Host = _gateway.ToString(), Port = forward.Port }.Uri.ToString().TrimEnd('/') + (value.EndsWith('/') ? "/" : string.Empty);
    }

    internal Dictionary<string, string> EnvironmentFor(ServiceDefinition service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DockerTargetConstants.RunIdVariable] = RunId,
        };
        foreach (var dependency in service.Dependencies)
        {
            // Docker's DNS on the private network resolves the service name to its live replicas' addresses.
            var port = _system[dependency.Service].GetRuntime<DockerRuntime>()!.Port;
            environment[dependency.EnvironmentVariable] = string.Create(CultureInfo.InvariantCulture, $"http://{dependency.Service}:{port}");
        }

        return environment;
    }

    /// <summary>Removes a container this session created and forgets it in the journal.</summary>
    internal async Task RemoveContainerAsync(string resourceId, string containerName)
    {
        await Engine.RemoveContainerAsync(containerName, CancellationToken.None).ConfigureAwait(false);
        SessionJournal?.RemoveResource(resourceId);
    }

    private async Task RequireImagesAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var image in _system.Services.Select(s => s.GetRuntime<DockerRuntime>()!.Image).Distinct(StringComparer.Ordinal))
        {
            if (!await Engine.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false))
            {
                missing.Add($"Image '{image}' is not in the Docker engine: the Docker target never pulls. Build it locally (see build/images/ and docs/targets/docker.md), or `docker pull` it first where a registry is reachable.");
            }
        }

        if (missing.Count > 0)
        {
            throw new ChaosValidationException("The images of the system under test", missing) { Target = Name };
        }
    }

    private async Task MonitorAsync(string since)
    {
        try
        {
            await Engine.Client.System.MonitorEventsAsync(
                new ContainerEventsParameters
                {
                    Since = since,
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["label"] = new Dictionary<string, bool> { [$"{DockerTargetConstants.RunIdLabel}={RunId}"] = true },
                        ["type"] = new Dictionary<string, bool> { ["container"] = true },
                        ["event"] = new Dictionary<string, bool> { ["die"] = true },
                    },
                },
                new InlineProgress(OnEvent),
                _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A broken event stream must not crash the test host; replacements stop and PodKill proofs say so.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.EventStreamFailed(Logger, RunId, ex);
        }
    }

    private void OnEvent(Message message)
    {
        if (message.Action != "die" || message.Actor?.ID is not { } id || _network is null)
        {
            return;
        }

        long? exitCode = message.Actor.Attributes is { } attributes && attributes.TryGetValue("exitCode", out var code)
            && long.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        foreach (var set in _replicaSets.Values)
        {
            if (set.FindByContainer(id) is { } replica)
            {
                set.OnDied(replica, exitCode, _network);
                return;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task StopCoreAsync()
    {
        foreach (var set in _replicaSets.Values)
        {
            await TryAsync("service " + set.Service.Name, set.StopAsync).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_monitor is not null)
        {
            await TryAsync("event stream", () => _monitor).ConfigureAwait(false);
        }

        foreach (var proxy in _proxies.Values.Concat(_hostForwards.Values))
        {
            await TryAsync("proxy " + proxy.Name, () => proxy.DisposeAsync().AsTask()).ConfigureAwait(false);
        }

        if (_network is not null && _engine is not null)
        {
            await TryAsync("network " + _network.Name, () => _engine.RemoveNetworkAsync(_network.Name, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void OnOwnerExit()
    {
        // Last resort when the owner exits without disposing: remove the containers (bounded; the sweep covers the rest).
        if (_engine is null)
        {
            return;
        }

        var names = _replicaSets.Values.SelectMany(s => s.Replicas).Select(r => r.ContainerName).ToArray();
        _ = Task.WhenAll(names.Select(n => _engine.RemoveContainerAsync(n, CancellationToken.None))).Wait(TimeSpan.FromSeconds(10));
    }

    private static DockerTargetOptions Validated(DockerTargetOptions? options)
    {
        options ??= new DockerTargetOptions();
        options.Validate();
        return options;
    }

    private (DockerReplica Replica, DockerReplicaSet Set) FindReplica(FaultInjection injection, string id)
    {
        foreach (var set in _replicaSets.Values)
        {
            if (set.Find(id) is { State: not InstanceState.Terminated } replica)
            {
                return (replica, set);
            }
        }

        throw new ChaosTargetException($"Instance '{id}' is not a running replica of this Docker target.") { Fault = injection.Fault.DisplayName, Target = Name };
    }

    private IReadOnlyList<string> SourcesOf(FaultInjection injection, string from, IEnumerable<(DockerReplica Replica, DockerReplicaSet Set)> victims)
    {
        foreach (var service in victims.Select(v => v.Replica.Service).Distinct(StringComparer.Ordinal))
        {
            if (!_replicaSets.TryGetValue(from, out var caller) || !caller.Service.Dependencies.Any(d => d.Service == service))
            {
                var edges = _system.Services.Where(s => s.Dependencies.Any(d => d.Service == service)).Select(s => $"{s.Name}->{service}").DefaultIfEmpty("(none)");
                throw new ChaosTargetException(
                    $"Fault '{injection.Fault.DisplayName}' has From = '{from}', but '{from}' does not call '{service}'. Edges into '{service}': {string.Join(", ", edges)}. " +
                    "Add the dependency with ServiceDefinition.AddDependency, or fix From.")
                {
                    Fault = injection.Fault.DisplayName,
                    Target = Name,
                };
            }
        }

        // The caller's replicas as they are now: a caller replica started after injection is not on the edge's list.
        return [.. _replicaSets[from].Replicas.Where(r => r.State != InstanceState.Terminated && r.Address is not null).Select(r => r.Address!.ToString())];
    }

    private sealed class InlineProgress(Action<Message> onEvent) : IProgress<Message>
    {
        public void Report(Message value) => onEvent(value);
    }
}

/// <summary>Values of <see cref="DockerTargetConstants.RoleLabel"/>.</summary>
internal static class DockerTargetLabels
{
    public const string Replica = "replica";
    public const string Agent = "agent";
    public const string Network = "network";
}
