using System.Globalization;
using Killswitch.Chaos.Local.Proxy;

namespace Killswitch.Chaos.Local;

/// <summary>PodKill on local processes: SIGKILL, or SIGTERM then SIGKILL after the grace period.</summary>
internal sealed class PodKillHandle : IFaultHandle
{
    private readonly PodKillOptions _options;
    private readonly IReadOnlyList<(LocalReplica Replica, ReplicaSet Set)> _victims;
    private readonly ChaosJournal _journal;
    private readonly TimeProvider _time;
    private readonly List<Task> _escalations = [];
    private int _reverted;

    public PodKillHandle(FaultInjection injection, IReadOnlyList<(LocalReplica, ReplicaSet)> victims, ChaosJournal journal, TimeProvider time)
    {
        Injection = injection;
        _options = (PodKillOptions)injection.Fault;
        _victims = victims;
        _journal = journal;
        _time = time;
    }

    public FaultInjection Injection { get; }

    public async ValueTask InjectAsync()
    {
        _journal.AddFault(new JournalFault(Injection.Id, Injection.Fault.Kind, [.. _victims.Select(v => v.Replica.Id)], "processes killed; replacements are started by the target"));
        foreach (var (replica, _) in _victims)
        {
            var at = _time.GetTimestamp();
            replica.MarkKilled(at);
            Injection.Timeline.Record(ChaosEventNames.ReplicaKilled, replica.Id, $"pid {replica.Process.Id}, {(_options.Force ? "SIGKILL" : "SIGTERM")}");
            if (_options.Force)
            {
                replica.KillForcefully();
            }
            else
            {
                UnixSignals.Terminate(replica.Process);
                _escalations.Add(EscalateAsync(replica));
            }

            if (_options.OnPodKilled is { } callback)
            {
                await callback(new PodKilledArguments(replica.ToInstance(), _options.Force, _time.GetUtcNow())).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var deadline = (_options.Force ? TimeSpan.Zero : _options.GracePeriod) + _options.ReplacementTimeout;
        var done = await Waits.UntilAsync(
            _ => ValueTask.FromResult(_victims.All(v => !v.Replica.Identity.IsAlive() && v.Set.FindReplacement(v.Replica.Id) is { State: InstanceState.Ready })),
            TimeSpan.FromMilliseconds(20),
            deadline,
            _time,
            cancellationToken).ConfigureAwait(false);

        var evidence = new List<string>();
        TimeSpan? longest = null;
        foreach (var (replica, set) in _victims)
        {
            var alive = replica.Identity.IsAlive();
            var replacement = set.FindReplacement(replica.Id);
            if (alive)
            {
                evidence.Add($"{replica.Id} (pid {replica.Process.Id}) still runs.");
                continue;
            }

            Injection.Timeline.Record(ChaosEventNames.ReplicaExited, replica.Id, $"pid {replica.Process.Id} is gone");
            if (replacement is not { State: InstanceState.Ready })
            {
                evidence.Add($"{replica.Id} (pid {replica.Process.Id}) is gone but no replacement became ready within {deadline.TotalSeconds:0.#} s.");
                continue;
            }

            var took = _time.GetElapsedTime(replica.KilledAt, replacement.ReadyAt);
            longest = longest is null || took > longest ? took : longest;
            Injection.Timeline.Record(ChaosEventNames.ReplicaRestarted, replacement.Id, $"replaces {replica.Id}, pid {replacement.Process.Id}", took);
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"{replica.Id} (pid {replica.Process.Id}) is gone; {replacement.Id} (pid {replacement.Process.Id}) serves, ready {took.TotalMilliseconds:0} ms after the kill."));
        }

        return new FaultProof(done, string.Join(" ", evidence), longest);
    }

    public async ValueTask RevertAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reverted, 1) == 1)
        {
            return;
        }

        // Nothing to undo: the replica set replaces killed processes. Finish pending SIGKILL escalations first.
        await Task.WhenAll(_escalations).ConfigureAwait(false);
        _journal.RemoveFault(Injection.Id);
    }

    public ValueTask DisposeAsync() => RevertAsync();

    private async Task EscalateAsync(LocalReplica replica)
    {
        try
        {
            await replica.Exited.WaitAsync(_options.GracePeriod, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            replica.KillForcefully();
        }
    }
}

/// <summary>Latency, ResetPeer, Blackhole and Bandwidth: a toxic put on the proxies in front of the selected replicas.</summary>
internal sealed class NetworkFaultHandle : IFaultHandle
{
    private readonly Toxic _toxic;
    private readonly IReadOnlyList<(TcpProxy Proxy, ProxyBackend Backend)> _backends;
    private readonly ChaosJournal _journal;
    private int _reverted;

    public NetworkFaultHandle(FaultInjection injection, Toxic toxic, IReadOnlyList<(TcpProxy, ProxyBackend)> backends, ChaosJournal journal)
    {
        Injection = injection;
        _toxic = toxic;
        _backends = backends;
        _journal = journal;
    }

    public FaultInjection Injection { get; }

    private string Paths => string.Join(", ", _backends.Select(b => b.Proxy.Name).Distinct(StringComparer.Ordinal));

    public void Inject()
    {
        _journal.AddFault(new JournalFault(Injection.Id, Injection.Fault.Kind, [.. Injection.Instances.Select(i => i.Id)], "toxic on proxies " + Paths));
        foreach (var (_, backend) in _backends)
        {
            backend.Add(_toxic);
            foreach (var connection in backend.Connections.Keys)
            {
                TcpProxy.Arm(connection, _toxic);
            }
        }
    }

    public ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var noTraffic = $"No traffic crossed {Paths} while the fault was in force, so it never took effect. " +
                        "Send the workload through the affected path (or set From to the edge the workload uses).";
        var proof = _toxic switch
        {
            LatencyToxic latency => Prove(latency),
            ResetPeerToxic reset => reset.Hits > 0
                ? new FaultProof(true, $"{reset.Hits} connection(s) through {Paths} were reset.")
                : new FaultProof(false, "No connection was open or opened through " + Paths + " while the fault was in force, so none was reset."),
            BlackholeToxic blackhole => blackhole.Hits > 0
                ? new FaultProof(true, $"{blackhole.BytesSwallowed} byte(s) through {Paths} were swallowed.")
                : new FaultProof(false, noTraffic),
            BandwidthToxic bandwidth => bandwidth.Hits > 0
                ? new FaultProof(true, $"{bandwidth.BytesThrottled} byte(s) through {Paths} were paced at {bandwidth.BytesPerSecond} B/s.")
                : new FaultProof(false, noTraffic),
            _ => new FaultProof(false, "Unknown toxic."),
        };
        return ValueTask.FromResult(proof);

        FaultProof Prove(LatencyToxic latency)
        {
            if (latency.Hits == 0 || latency.MinimumHeld is not { } held)
            {
                return new FaultProof(false, noTraffic);
            }

            // The toxic tops up early timer firings, so every held chunk was held at least Latency - Jitter.
            var floor = latency.Latency - latency.Jitter;
            return held >= floor
                ? new FaultProof(true, string.Create(CultureInfo.InvariantCulture, $"{latency.Hits} chunk(s) through {Paths} were held at least {held.TotalMilliseconds:0.0} ms (injected {latency.Latency.TotalMilliseconds:0} ms ± {latency.Jitter.TotalMilliseconds:0} ms)."))
                : new FaultProof(false, string.Create(CultureInfo.InvariantCulture, $"Traffic through {Paths} was held only {held.TotalMilliseconds:0.0} ms, less than the injected {latency.Latency.TotalMilliseconds:0} ms - {latency.Jitter.TotalMilliseconds:0} ms."));
        }
    }

    public ValueTask RevertAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reverted, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var (_, backend) in _backends)
        {
            backend.Remove(_toxic);
        }

        _journal.RemoveFault(Injection.Id);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => RevertAsync();
}
