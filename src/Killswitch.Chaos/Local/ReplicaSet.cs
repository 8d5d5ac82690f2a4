using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Local;

/// <summary>
/// Keeps a service's replica count, as a ReplicaSet does: starts the replicas, waits for readiness before routing to
/// them, and replaces any that exits (killed by a fault or crashed) while the target runs.
/// </summary>
internal sealed class ReplicaSet
{
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
        await WaitReadyAsync(replica, cancellationToken).ConfigureAwait(false);
        replica.MarkReady(_options.TimeProvider.GetTimestamp());
        foreach (var proxy in _proxies())
        {
            proxy.AddBackend(replica.Id, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, replica.Port));
        }

        return replica;
    }

    private async Task WaitReadyAsync(LocalReplica replica, CancellationToken cancellationToken)
    {
        var uri = new Uri(replica.Endpoint, Service.ReadinessPath);
        var (ready, last) = await Waits.UntilReadyAsync(_readiness, uri, replica.Exited, _options.ReadinessPollInterval, _options.ReadinessTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        if (!ready)
        {
            replica.KillForcefully();
            var why = replica.Exited.IsCompleted && replica.KilledAt == 0
                ? $"exited with code {SafeExitCode(replica)} before it became ready"
                : $"did not answer 2xx on {uri} within ReadinessTimeout ({_options.ReadinessTimeout.TotalSeconds:0.#} s); last: {last}";
            throw new ChaosTargetException(
                $"Replica {replica.Id} of service '{Service.Name}' ({_runtime.FileName} {string.Join(' ', _runtime.Arguments)}) {why}. " +
                $"Its last output:{Environment.NewLine}{replica.OutputTail}{Environment.NewLine}" +
                "Check the service's LocalProcessRuntime (the app must listen on http://127.0.0.1:{port}) and ReadinessPath, or raise LocalTargetOptions.ReadinessTimeout.")
            {
                Target = LocalTargetConstants.Name,
            };
        }
    }

    private void OnExited(LocalReplica replica)
    {
        replica.MarkTerminated();
        foreach (var proxy in _proxies())
        {
            proxy.RemoveBackend(replica.Id);
        }

        _journal.RemoveResource(replica.Id);
        Log.ReplicaExited(_logger, replica.Id, SafeExitCode(replica));
        if (_stopping)
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
