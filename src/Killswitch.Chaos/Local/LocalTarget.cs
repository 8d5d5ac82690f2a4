using System.Diagnostics;
using System.Globalization;
using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Killswitch.Chaos.Local;

/// <summary>
/// The embedded target: each replica is a real OS process on a free loopback port; each service is fronted by a
/// balancing TCP proxy (its stable endpoint); each dependency edge gets its own proxy whose address the caller receives
/// in the edge's environment variable. PodKill signals processes; network faults put toxics on the proxies.
/// </summary>
/// <remarks>
/// Clean-up: faults and processes are removed on dispose; a <see cref="AppDomain.ProcessExit"/> hook SIGKILLs replicas
/// when the owner exits without disposing (Ctrl+C, SIGTERM); and when the owner is SIGKILLed, nothing in-process can
/// run, so the journal lets the next session's sweep kill the orphaned replicas. The proxies live in the owner's
/// process and die with it, so no port stays held and no delay stays in force.
/// </remarks>
public sealed class LocalTarget : ChaosTargetBase
{
    private readonly SystemUnderTest _system;
    private readonly LocalTargetOptions _options;
    private readonly Dictionary<string, TcpProxy> _serviceProxies = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), TcpProxy> _edgeProxies = [];
    private readonly Dictionary<string, ReplicaSet> _replicaSets = new(StringComparer.Ordinal);
    private readonly HttpClient _readiness;

    /// <summary>Creates the target; nothing runs until <see cref="ChaosTargetBase.StartAsync"/>.</summary>
    /// <exception cref="ChaosValidationException">The options are invalid, or a service has no <see cref="LocalProcessRuntime"/>.</exception>
    public LocalTarget(SystemUnderTest system, LocalTargetOptions? options = null)
        : base(
            string.Create(CultureInfo.InvariantCulture, $"ks-{DateTime.UtcNow:yyyyMMddHHmmss}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}"),
            (options = Validated(options)).JournalDirectory,
            options.LoggerFactory?.CreateLogger<LocalTarget>() ?? NullLogger<LocalTarget>.Instance)
    {
        ArgumentNullException.ThrowIfNull(system);
        _options = options;
        var missing = system.Services.Where(s => s.GetRuntime<LocalProcessRuntime>() is null).Select(s => $"Service '{s.Name}' has no LocalProcessRuntime; add one with AddRuntime(LocalProcessRuntime.DotNet(...)).").ToArray();
        if (missing.Length > 0)
        {
            throw new ChaosValidationException("The system under test for the local target", missing) { Target = LocalTargetConstants.Name };
        }

        _system = system;
        _readiness = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <inheritdoc />
    public override string Name => LocalTargetConstants.Name;

    /// <inheritdoc />
    protected override Task PrepareAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken).AsTask();

    /// <inheritdoc />
    protected override async Task StartCoreAsync(ChaosJournal journal, CancellationToken cancellationToken)
    {
        foreach (var service in _system.Services)
        {
            AddProxy(journal, _serviceProxies, service.Name, service.Name);
            foreach (var dependency in service.Dependencies)
            {
                AddProxy(journal, _edgeProxies, (service.Name, dependency.Service), $"{service.Name}->{dependency.Service}");
            }
        }

        foreach (var service in _system.Services)
        {
            var name = service.Name;
            _replicaSets[name] = new ReplicaSet(
                service,
                service.GetRuntime<LocalProcessRuntime>()!,
                () => EnvironmentFor(service),
                () => ProxiesInto(name),
                journal,
                _options,
                _readiness,
                Logger);
        }

        await Task.WhenAll(_replicaSets.Values.Select(s => s.StartAsync(cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<Instance>> GetInstancesAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Instance>>([.. _replicaSets.Values.SelectMany(s => s.Replicas).Where(r => r.State != InstanceState.Terminated).Select(r => r.ToInstance())]);

    /// <inheritdoc />
    public override Uri GetEndpoint(string service) =>
        _serviceProxies.TryGetValue(service, out var proxy)
            ? proxy.Endpoint
            : throw new ChaosTargetException($"No service '{service}'. Services: {string.Join(", ", _system.Services.Select(s => s.Name))}.") { Target = Name };

    /// <summary>The address <paramref name="from"/> is given for its dependency <paramref name="to"/> (the edge's proxy).</summary>
    public Uri GetEdgeEndpoint(string from, string to) =>
        _edgeProxies.TryGetValue((from, to), out var proxy)
            ? proxy.Endpoint
            : throw new ChaosTargetException($"No dependency edge {from}->{to}. Edges: {string.Join(", ", _edgeProxies.Keys.Select(k => $"{k.From}->{k.To}"))}.") { Target = Name };

    /// <inheritdoc />
    public override bool Supports(FaultOptions fault, out string? reason)
    {
        reason = fault is PodKillOptions or LatencyOptions or ResetPeerOptions or BlackholeOptions or BandwidthOptions
            ? null
            : $"the local target supports PodKill, Latency, ResetPeer, Blackhole and Bandwidth, not {fault.GetType().Name}";
        return reason is null;
    }

    /// <inheritdoc />
    public override async ValueTask<IFaultHandle> InjectAsync(FaultInjection injection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(injection);
        var journal = SessionJournal ?? throw new InvalidOperationException("Call StartAsync before InjectAsync.");
        using var activity = ChaosDiagnostics.ActivitySource.StartActivity("Chaos.Inject");
        activity?.SetTag("chaos.fault", injection.Fault.Kind);
        if (injection.Fault is PodKillOptions)
        {
            var victims = injection.Instances.Select(i => FindReplica(injection, i.Id)).ToArray();
            var handle = new PodKillHandle(injection, victims, journal, _options.TimeProvider);
            Track(handle);
            await handle.InjectAsync().ConfigureAwait(false);
            return handle;
        }

        var network = (NetworkFaultOptions)injection.Fault;
        var toxic = CreateToxic(injection);
        var backends = new List<(TcpProxy, ProxyBackend)>();
        foreach (var instance in injection.Instances)
        {
            foreach (var proxy in ProxiesFor(injection, instance.Service, network.From))
            {
                if (proxy.FindBackend(instance.Id) is { } backend)
                {
                    backends.Add((proxy, backend));
                }
            }
        }

        var networkHandle = new NetworkFaultHandle(injection, toxic, backends, journal);
        Track(networkHandle);
        networkHandle.Inject();
        return networkHandle;
    }

    /// <inheritdoc />
    public override async ValueTask<SweepReport> SweepAsync(CancellationToken cancellationToken = default)
    {
        var sessions = 0;
        var killed = 0;
        var details = new List<string>();
        foreach (var (path, record) in ChaosJournal.FindAbandoned(_options.JournalDirectory, (p, ex) => Log.JournalUnreadable(Logger, p, ex)))
        {
            if (record.Target != Name)
            {
                continue;
            }

            var actions = new List<string>();
            foreach (var resource in record.Resources.Where(r => r.Kind == JournalConstants.ProcessResource && r.Process is not null))
            {
                var identity = resource.Process!;
                if (!identity.IsAlive())
                {
                    continue;
                }

                try
                {
                    using var process = Process.GetProcessById(identity.Pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited between the check and the kill.
                }

                await Waits.UntilAsync(_ => ValueTask.FromResult(!identity.IsAlive()), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                killed++;
                actions.Add($"killed {resource.Id} (pid {identity.Pid})");
            }

            if (record.Faults.Count > 0)
            {
                // Local faults live in the owner's proxies, which died with it: nothing stays injected.
                actions.Add($"{record.Faults.Count} fault(s) ended with their owner's proxies");
            }

            File.Delete(path);
            sessions++;
            var line = $"{record.RunId}: " + (actions.Count == 0 ? "nothing left running" : string.Join(", ", actions));
            details.Add(line);
            Log.Swept(Logger, record.RunId, record.Owner.Pid, line);
        }

        return sessions == 0 ? SweepReport.Empty : new SweepReport(sessions, killed, details);
    }

    /// <inheritdoc />
    protected override ValueTask ReleaseAsync()
    {
        _readiness.Dispose();
        return ValueTask.CompletedTask;
    }

    internal ReplicaSet GetReplicaSet(string service) => _replicaSets[service];

    internal IEnumerable<TcpProxy> AllProxies => _serviceProxies.Values.Concat(_edgeProxies.Values);

    /// <inheritdoc />
    protected override async Task StopCoreAsync()
    {
        foreach (var set in _replicaSets.Values)
        {
            await TryAsync("service " + set.Service.Name, set.StopAsync).ConfigureAwait(false);
        }

        foreach (var proxy in AllProxies)
        {
            await TryAsync("proxy " + proxy.Name, () => proxy.DisposeAsync().AsTask()).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void OnOwnerExit()
    {
        foreach (var set in _replicaSets.Values)
        {
            set.KillAllNow();
        }
    }

    private static LocalTargetOptions Validated(LocalTargetOptions? options)
    {
        options ??= new LocalTargetOptions();
        options.Validate();
        return options;
    }

    private void AddProxy<TKey>(ChaosJournal journal, Dictionary<TKey, TcpProxy> into, TKey key, string name)
        where TKey : notnull
    {
        var proxy = new TcpProxy(name, _options.TimeProvider, Logger);
        into[key] = proxy;
        journal.AddResource(new JournalResource("proxy:" + name, JournalConstants.PortResource, Port: proxy.Port, Detail: name));
    }

    private Dictionary<string, string> EnvironmentFor(ServiceDefinition service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [LocalTargetConstants.RunIdVariable] = RunId,
        };
        foreach (var dependency in service.Dependencies)
        {
            environment[dependency.EnvironmentVariable] = _edgeProxies[(service.Name, dependency.Service)].Endpoint.ToString().TrimEnd('/');
        }

        return environment;
    }

    private IEnumerable<TcpProxy> ProxiesInto(string service) =>
        new[] { _serviceProxies[service] }.Concat(_edgeProxies.Where(e => e.Key.To == service).Select(e => e.Value));

    private IEnumerable<TcpProxy> ProxiesFor(FaultInjection injection, string service, string? from)
    {
        if (from is null)
        {
            return ProxiesInto(service);
        }

        return _edgeProxies.TryGetValue((from, service), out var edge)
            ? [edge]
            : throw new ChaosTargetException(
                $"Fault '{injection.Fault.DisplayName}' has From = '{from}', but '{from}' does not call '{service}'. " +
                $"Edges into '{service}': {string.Join(", ", _edgeProxies.Keys.Where(k => k.To == service).Select(k => $"{k.From}->{k.To}").DefaultIfEmpty("(none)"))}. " +
                "Add the dependency with ServiceDefinition.AddDependency, or fix From.")
            {
                Fault = injection.Fault.DisplayName,
                Target = Name,
            };
    }

    private (LocalReplica, ReplicaSet) FindReplica(FaultInjection injection, string id)
    {
        foreach (var set in _replicaSets.Values)
        {
            if (set.Find(id) is { } replica)
            {
                return (replica, set);
            }
        }

        throw new ChaosTargetException($"Instance '{id}' is not a replica of this local target.") { Fault = injection.Fault.DisplayName, Target = Name };
    }

    private Toxic CreateToxic(FaultInjection injection) => injection.Fault is NetworkFaultOptions
        ? Toxic.Create(injection.Id, injection.Fault, injection.Random, _options.TimeProvider)
        : throw new ChaosTargetException($"Fault kind '{injection.Fault.Kind}' is not supported by the local target.") { Target = Name };
}
