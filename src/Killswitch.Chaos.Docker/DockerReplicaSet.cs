using System.Globalization;
using System.Net;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Images;
using DotNet.Testcontainers.Networks;
using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// Keeps a service's replica count, as a ReplicaSet does: one container per replica, started through Testcontainers,
/// routed to by the service's proxy once its readiness path answers, replaced by a new container when the engine reports
/// it died (killed by a fault or crashed) while the target runs.
/// </summary>
internal sealed class DockerReplicaSet
{
    private readonly object _gate = new();
    private readonly List<DockerReplica> _replicas = [];
    private readonly DockerRuntime _runtime;
    private readonly DockerTarget _target;
    private readonly TcpProxy _proxy;
    private readonly HttpClient _readiness;
    private readonly ILogger _logger;
    private int _ordinal;
    private volatile bool _stopping;

    public DockerReplicaSet(ServiceDefinition service, DockerRuntime runtime, DockerTarget target, TcpProxy proxy, HttpClient readiness, ILogger logger)
    {
        Service = service;
        _runtime = runtime;
        _target = target;
        _proxy = proxy;
        _readiness = readiness;
        _logger = logger;
    }

    public ServiceDefinition Service { get; }

    public IReadOnlyList<DockerReplica> Replicas
    {
        get
        {
            lock (_gate)
            {
                return [.. _replicas];
            }
        }
    }

    public Task StartAsync(INetwork network, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Service.Replicas).Select(_ => StartReplicaAsync(network, replaces: null, cancellationToken)));

    public DockerReplica? Find(string id) => Replicas.FirstOrDefault(r => r.Id == id);

    public DockerReplica? FindByContainer(string containerId) => Replicas.FirstOrDefault(r => r.ContainerId == containerId);

    public DockerReplica? FindReplacement(string id) => Replicas.FirstOrDefault(r => r.Replaces == id);

    public async Task StopAsync()
    {
        _stopping = true;
        await Task.WhenAll(Replicas.Select(r => _target.RemoveContainerAsync(r.Id, r.ContainerName))).ConfigureAwait(false);
    }

    /// <summary>Stops routing new connections from the service's host endpoint to <paramref name="replica"/> (established ones go on).</summary>
    public void TakeOutOfService(DockerReplica replica) => _proxy.RemoveBackend(replica.Id);

    /// <summary>The engine reported that <paramref name="replica"/>'s container died.</summary>
    public void OnDied(DockerReplica replica, long? exitCode, INetwork network)
    {
        if (replica.Exited.IsCompleted)
        {
            return;
        }

        replica.MarkExited(exitCode);
        _proxy.RemoveBackend(replica.Id);
        Log.ReplicaExited(_logger, replica.Id, replica.ContainerName, exitCode ?? -1);
        if (_stopping)
        {
            return;
        }

        _ = ReplaceAsync(replica, network);
    }

    private async Task ReplaceAsync(DockerReplica replica, INetwork network)
    {
        try
        {
            // A ReplicaSet deletes the dead pod and creates a new one; the dead container goes as well.
            var removal = _target.RemoveContainerAsync(replica.Id, replica.ContainerName);
            var replacement = await StartReplicaAsync(network, replica.Id, CancellationToken.None).ConfigureAwait(false);
            await removal.ConfigureAwait(false);
            var from = replica.KilledAt != 0 ? replica.KilledAt : replacement.ReadyAt;
            Log.ReplicaReplaced(_logger, replica.Id, replacement.Id, _target.Time.GetElapsedTime(from, replacement.ReadyAt).TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
#pragma warning disable CA1031 // A failed replacement must not crash the process; the PodKill proof reports it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReplacementFailed(_logger, replica.Id, ex);
        }
    }

    private async Task<DockerReplica> StartReplicaAsync(INetwork network, string? replaces, CancellationToken cancellationToken)
    {
        var ordinal = Interlocked.Increment(ref _ordinal);
        var id = string.Create(CultureInfo.InvariantCulture, $"{Service.Name}-{ordinal}");
        var name = $"{_target.ContainerPrefix}-{id}";
        var replica = new DockerReplica(id, Service.Name, name, ordinal, replaces, Service.EffectiveLabels()) { Port = _runtime.Port };
        lock (_gate)
        {
            if (_stopping)
            {
                throw new OperationCanceledException("The Docker target is stopping.");
            }

            _replicas.Add(replica);
        }

        // Journal before creating: a crash between create and record would otherwise orphan the container (the owner
        // label still lets the sweep find it, but the journal is the first line).
        _target.Journal.AddResource(new JournalResource(id, DockerTargetConstants.ContainerResource, Detail: name));

        string Expand(string value) => value
            .Replace("{service}", Service.Name, StringComparison.Ordinal)
            .Replace("{replica}", ordinal.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var environment = _runtime.Environment.ToDictionary(e => e.Key, e => _target.ReachableFromContainers(Expand(e.Value)), StringComparer.Ordinal);
        foreach (var (key, value) in _target.EnvironmentFor(Service))
        {
            environment[key] = value;
        }

        environment[DockerTargetConstants.InstanceIdVariable] = id;
        var labels = new Dictionary<string, string>(_target.Labels(DockerTargetLabels.Replica), StringComparer.Ordinal)
        {
            [DockerTargetConstants.InstanceLabel] = id,
        };
        foreach (var (key, value) in replica.Labels)
        {
            labels[key] = value;
        }

        var builder = new ContainerBuilder(_runtime.Image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithName(name)
            .WithHostname(id)
            .WithNetwork(network)
            .WithNetworkAliases(Service.Name)
            .WithLabel(labels)
            .WithEnvironment(environment)
            .WithCleanUp(false)
            .WithAutoRemove(false);
        if (_runtime.Command.Count > 0)
        {
            builder = builder.WithCommand([.. _runtime.Command.Select(Expand)]);
        }

        var container = builder.Build();
        replica.Container = container;
        await container.StartAsync(cancellationToken).ConfigureAwait(false);
        replica.ContainerId = container.Id;
        var inspect = await _target.Engine.InspectAsync(container.Id, cancellationToken).ConfigureAwait(false);
        replica.Address = AddressOn(inspect, network.Name) ?? throw new ChaosTargetException(
            $"Container {name} of service '{Service.Name}' has no address on network {network.Name} (state: {inspect?.State?.Status ?? "gone"}).")
        {
            Target = DockerTargetConstants.Name,
        };
        if (inspect?.State is { Running: false })
        {
            replica.MarkExited(inspect.State.ExitCode);
        }

        Log.ReplicaStarted(_logger, id, name, replica.Address.ToString());
        await WaitReadyAsync(replica, cancellationToken).ConfigureAwait(false);
        replica.MarkReady(_target.Time.GetTimestamp());
        _proxy.AddBackend(replica.Id, new IPEndPoint(replica.Address, replica.Port));
        return replica;
    }

    private static IPAddress? AddressOn(ContainerInspectResponse? inspect, string network) =>
        inspect?.NetworkSettings?.Networks is { } networks && networks.TryGetValue(network, out var endpoint) && IPAddress.TryParse(endpoint.IPAddress, out var address)
            ? address
            : null;

    private async Task WaitReadyAsync(DockerReplica replica, CancellationToken cancellationToken)
    {
        var uri = new Uri(replica.Endpoint, Service.ReadinessPath);
        var (ready, last) = await Waits.UntilReadyAsync(_readiness, uri, replica.Exited, _target.Options.ReadinessPollInterval, _target.Options.ReadinessTimeout, _target.Time, cancellationToken).ConfigureAwait(false);
        if (ready)
        {
            return;
        }

        var output = string.Empty;
        try
        {
            var (stdout, stderr) = await replica.Container!.GetLogsAsync(timestampsEnabled: false, ct: CancellationToken.None).ConfigureAwait(false);
            output = string.Join(Environment.NewLine, (stdout + stderr).Split('\n').TakeLast(40));
        }
#pragma warning disable CA1031 // The logs are a courtesy in an error message; their absence must not hide the error.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        var why = replica.Exited.IsCompleted
            ? $"exited (code {replica.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) before it became ready"
            : $"did not answer 2xx on {uri} within ReadinessTimeout ({_target.Options.ReadinessTimeout.TotalSeconds:0.#} s); last: {last}";
        throw new ChaosTargetException(
            $"Replica {replica.Id} of service '{Service.Name}' (container {replica.ContainerName}, image {_runtime.Image}) {why}. " +
            $"Its last output:{Environment.NewLine}{output}{Environment.NewLine}" +
            $"Check the service's DockerRuntime (the app must listen on port {_runtime.Port} on all addresses) and ReadinessPath, or raise DockerTargetOptions.ReadinessTimeout.")
        {
            Target = DockerTargetConstants.Name,
        };
    }
}
