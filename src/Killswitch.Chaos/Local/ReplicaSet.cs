using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Local;

/// <summary>
/// Keeps a service's replica count, as a ReplicaSet does: starts the replicas, waits for readiness before routing to
/// them, and replaces any that exits (killed by a fault or crashed) while the target runs.
/// </summary>
internal sealed class ReplicaSet
{
    /// <summary>Starts of one replica that lost its port to another process before it could bind it.</summary>
    private const int PortAttempts = 3;
    private readonly object _gate = new();
    private readonly List<LocalReplica> _replicas = [];
    private readonly LocalProcessRuntime _runtime;
    private readonly Func<IReadOnlyDictionary<string, string>> _environment;
    private readonly Func<IEnumerable<TcpProxy>> _proxies;
    private readonly ChaosJournal _journal;
    private readonly LocalTargetOptions _options;
    private readonly HttpClient _readiness;
    private readonly ILogger _logger;
    private int _ordinal;
    private volatile bool _stopping;

    public ReplicaSet(
        ServiceDefinition service,
        LocalProcessRuntime runtime,
        Func<IReadOnlyDictionary<string, string>> environment,
        Func<IEnumerable<TcpProxy>> proxies,
        ChaosJournal journal,
        LocalTargetOptions options,
        HttpClient readiness,
        ILogger logger)
    {
        Service = service;
        _runtime = runtime;
        _environment = environment;
        _proxies = proxies;
        _journal = journal;
        _options = options;
        _readiness = readiness;
        _logger = logger;
    }

    public ServiceDefinition Service { get; }

    public IReadOnlyList<LocalReplica> Replicas
    {
        get
        {
            lock (_gate)
            {
                return [.. _replicas];
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Service.Replicas).Select(_ => StartReplicaAsync(replaces: null, cancellationToken)));

    public LocalReplica? Find(string id) => Replicas.FirstOrDefault(r => r.Id == id);

    public LocalReplica? FindReplacement(string id) => Replicas.FirstOrDefault(r => r.Replaces == id);

    public async Task StopAsync()
    {
        _stopping = true;
        var replicas = Replicas;
        foreach (var replica in replicas)
        {
            replica.KillForcefully();
        }

        foreach (var replica in replicas)
        {
            // Bounded: a SIGKILLed process is gone within milliseconds; never hang disposal on a stuck one.
            await replica.Exited.WaitAsync(TimeSpan.FromSeconds(10), _options.TimeProvider).ConfigureAwait(false);
        }
    }

    /// <summary>Synchronous last resort for process exit: SIGKILL everything.</summary>
    public void KillAllNow()
    {
        _stopping = true;
        foreach (var replica in Replicas)
        {
            replica.KillForcefully();
        }
    }

    private async Task<LocalReplica> StartReplicaAsync(string? replaces, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var replica = Launch(replaces);
            var failure = await WaitReadyAsync(replica, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                foreach (var proxy in _proxies())
                {
                    proxy.AddBackend(replica.Id, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, replica.Port));
                }

                return replica;
            }

            if (attempt < PortAttempts && replica.LostItsPort)
            {
                // Not the service's fault: start it again on another port, under the same "replaces" so a PodKill's
                // proof still finds the replacement; the failed attempt leaves the list.
                lock (_gate)
                {
                    _replicas.Remove(replica);
                }

                Log.ReplicaLostPort(_logger, replica.Id, replica.Port, attempt, PortAttempts);
                continue;
            }

            throw failure;
        }
    }

    private LocalReplica Launch(string? replaces)
    {
        var ordinal = Interlocked.Increment(ref _ordinal);
        LocalReplica replica;
        lock (_gate)
        {
            if (_stopping)
            {
                throw new OperationCanceledException("The local target is stopping.");
            }

            replica = LocalReplica.Start(Service, _runtime, ordinal, replaces, _environment());
            _replicas.Add(replica);

            // Journal right after the start: the window between fork and this write is the only time a crash could
            // orphan the process unrecorded (see docs/chaos/README.md, "Journal and sweep").
            _journal.AddResource(new JournalResource(replica.Id, JournalConstants.ProcessResource, replica.Identity, replica.Port, Service.Name));
        }

        Log.ReplicaStarted(_logger, replica.Id, replica.Process.Id, replica.Port);
        _ = replica.Exited.ContinueWith(_ => OnExited(replica), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return replica;
    }

    /// <summary>Waits until the replica answers its readiness path; on failure it is killed and the error returned.</summary>
    private async Task<ChaosTargetException?> WaitReadyAsync(LocalReplica replica, CancellationToken cancellationToken)
    {
        var uri = new Uri(replica.Endpoint, Service.ReadinessPath);
        var (ready, last) = await Waits.UntilReadyAsync(_readiness, uri, replica.Exited, _options.ReadinessPollInterval, _options.ReadinessTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        if (ready && replica.MarkReady(_options.TimeProvider.GetTimestamp()))
        {
            return null;
        }

        replica.KillForcefully();
        try
        {
            // Exited includes draining its output: the error it printed is what the message below and LostItsPort read.
            await replica.Exited.WaitAsync(TimeSpan.FromSeconds(10), _options.TimeProvider, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported with whatever output arrived.
        }

        var why = ready
            ? "exited as it became ready"
            : replica.Exited.IsCompleted && replica.KilledAt == 0
                ? $"exited with code {SafeExitCode(replica)} before it became ready"
                : $"did not answer 2xx on {uri} within ReadinessTimeout ({_options.ReadinessTimeout.TotalSeconds:0.#} s); last: {last}";
        return new ChaosTargetException(
            $"Replica {replica.Id} of service '{Service.Name}' ({_runtime.FileName} {string.Join(' ', _runtime.Arguments)}) {why}. " +
            $"Its last output:{Environment.NewLine}{replica.OutputTail}{Environment.NewLine}" +
            "Check the service's LocalProcessRuntime (the app must listen on http://127.0.0.1:{port}) and ReadinessPath, or raise LocalTargetOptions.ReadinessTimeout.")
        {
            Target = LocalTargetConstants.Name,
        };
    }

    private void OnExited(LocalReplica replica)
    {
        var was = replica.MarkTerminated();
        foreach (var proxy in _proxies())
        {
            proxy.RemoveBackend(replica.Id);
        }

        _journal.RemoveResource(replica.Id);
        Log.ReplicaExited(_logger, replica.Id, SafeExitCode(replica));
        // A replica that exits on its own before it is ready is its start's to handle (start again on another port, or
        // report the failure): replacing it here too would crash-loop a service that cannot start.
        if (_stopping || (was == InstanceState.Starting && replica.KilledAt == 0))
        {
            return;
        }

        _ = ReplaceAsync(replica);
    }

    private async Task ReplaceAsync(LocalReplica replica)
    {
        try
        {
            var replacement = await StartReplicaAsync(replica.Id, CancellationToken.None).ConfigureAwait(false);
            var from = replica.KilledAt != 0 ? replica.KilledAt : replacement.ReadyAt;
            Log.ReplicaReplaced(_logger, replica.Id, replacement.Id, _options.TimeProvider.GetElapsedTime(from, replacement.ReadyAt).TotalMilliseconds);
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

    private static int SafeExitCode(LocalReplica replica)
    {
        try
        {
            return replica.Process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
