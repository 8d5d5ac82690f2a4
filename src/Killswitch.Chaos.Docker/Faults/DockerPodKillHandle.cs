using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// PodKill on containers: SIGKILL (<c>docker kill</c>), or SIGTERM then SIGKILL after the grace period (<c>docker stop</c>
/// with the fault's grace, measured here rather than rounded to whole seconds). A graceful kill first drains each victim
/// (<see cref="DockerTargetOptions.DrainBeforeStop"/>), as Kubernetes takes a pod out of its Service before SIGTERM. The replica set replaces the container
/// when the engine reports it died; the proof is the replacement serving, and its time since the kill.
/// </summary>
/// <remarks>
/// The drain has two halves. In the victim's namespace, new connections to its port get a TCP reset; that rule goes
/// with the namespace when the container stops, while Docker's DNS may still list the address for a moment, and a
/// connect to an address nobody holds hangs instead of failing. So every other replica on the network (the callers)
/// also refuses its own new connections to the victim's address (<c>drain --to</c>, in its namespace) until the
/// victim's replacement serves, or the fault is reverted: then those rules are lifted, since a replacement may be
/// given the same address.
/// </remarks>
internal sealed class DockerPodKillHandle : IFaultHandle
{
    private readonly PodKillOptions _options;
    private readonly IReadOnlyList<(DockerReplica Replica, DockerReplicaSet Set)> _victims;
    private readonly DockerTarget _target;
    private readonly ILogger _logger;
    private readonly List<Task> _escalations = [];
    private readonly List<Task> _lifts = [];
    private readonly CancellationTokenSource _reverting = new();
    private int _reverted;

    public DockerPodKillHandle(FaultInjection injection, IReadOnlyList<(DockerReplica, DockerReplicaSet)> victims, DockerTarget target, ILogger logger)
    {
        Injection = injection;
        _options = (PodKillOptions)injection.Fault;
        _victims = victims;
        _target = target;
        _logger = logger;
    }

    public FaultInjection Injection { get; }

    public async ValueTask InjectAsync(CancellationToken cancellationToken)
    {
        _target.Journal.AddFault(new JournalFault(Injection.Id, Injection.Fault.Kind, [.. _victims.Select(v => v.Replica.Id)], "containers killed; replacements are started by the target"));
        if (!_options.Force && _target.Options.DrainBeforeStop)
        {
            var victims = _victims.Select(v => v.Replica).ToHashSet();
            var callers = _target.LiveReplicas().Where(r => !victims.Contains(r) && r.ContainerId is not null && !r.Exited.IsCompleted).ToArray();
            await Task.WhenAll(_victims.Select(v => DrainAsync(v.Replica, v.Set, callers, cancellationToken))).ConfigureAwait(false);
        }

        foreach (var (replica, _) in _victims)
        {
            var signal = _options.Force ? "SIGKILL" : "SIGTERM";
            replica.MarkKilled(_target.Time.GetTimestamp());
            Injection.Timeline.Record(ChaosEventNames.ReplicaKilled, replica.Id, $"container {replica.ContainerName}, {signal}");
            await _target.Engine.KillAsync(replica.ContainerId!, signal, cancellationToken).ConfigureAwait(false);
            if (!_options.Force)
            {
                _escalations.Add(EscalateAsync(replica));
            }

            if (_options.OnPodKilled is { } callback)
            {
                await callback(new PodKilledArguments(replica.ToInstance(), _options.Force, _target.Time.GetUtcNow())).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var deadline = (_options.Force ? TimeSpan.Zero : _options.GracePeriod) + _options.ReplacementTimeout;
        var done = await Waits.UntilAsync(
            _ => ValueTask.FromResult(_victims.All(v => v.Replica.Exited.IsCompleted && v.Set.FindReplacement(v.Replica.Id) is { State: InstanceState.Ready })),
            TimeSpan.FromMilliseconds(20),
            deadline,
            _target.Time,
            cancellationToken).ConfigureAwait(false);

        var evidence = new List<string>();
        TimeSpan? longest = null;
        foreach (var (replica, set) in _victims)
        {
            if (!replica.Exited.IsCompleted)
            {
                evidence.Add($"{replica.Id} (container {replica.ContainerName}) still runs.");
                continue;
            }

            Injection.Timeline.Record(ChaosEventNames.ReplicaExited, replica.Id, $"container {replica.ContainerName} died (exit code {replica.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})");
            var replacement = set.FindReplacement(replica.Id);
            if (replacement is not { State: InstanceState.Ready })
            {
                evidence.Add($"{replica.Id} (container {replica.ContainerName}) died but no replacement became ready within {deadline.TotalSeconds:0.#} s.");
                continue;
            }

            var took = _target.Time.GetElapsedTime(replica.KilledAt, replacement.ReadyAt);
            longest = longest is null || took > longest ? took : longest;
            Injection.Timeline.Record(ChaosEventNames.ReplicaRestarted, replacement.Id, $"replaces {replica.Id}, container {replacement.ContainerName}", took);
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"{replica.Id} (container {replica.ContainerName}) died; {replacement.Id} (container {replacement.ContainerName}, {replacement.Address}) serves, ready {took.TotalMilliseconds:0} ms after the kill."));
        }

        return new FaultProof(done, string.Join(" ", evidence), longest);
    }

    public async ValueTask RevertAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reverted, 1) == 1)
        {
            return;
        }

        // Nothing to undo: the replica set replaces killed containers. Finish pending SIGKILL escalations first, then lift
        // the callers' drain rules that are still waiting for a replacement.
        await Task.WhenAll(_escalations).ConfigureAwait(false);
        await _reverting.CancelAsync().ConfigureAwait(false);
        Task[] lifts;
        lock (_lifts)
        {
            lifts = [.. _lifts];
        }

        await Task.WhenAll(lifts).ConfigureAwait(false);
        _reverting.Dispose();
        _target.Journal.RemoveFault(Injection.Id);
    }

    public ValueTask DisposeAsync() => RevertAsync();

    /// <summary>
    /// Takes <paramref name="replica"/> out of its service: no new connections from the host endpoint, a TCP reset for new
    /// connections from the private network (the rule lives in the replica's namespace and goes with it), and the same in
    /// each of <paramref name="callers"/>' namespaces for their connects to the replica's address, lifted later.
    /// </summary>
    private async Task DrainAsync(DockerReplica replica, DockerReplicaSet set, IReadOnlyList<DockerReplica> callers, CancellationToken cancellationToken)
    {
        var started = _target.Time.GetTimestamp();
        set.TakeOutOfService(replica);
        var tag = $"{Injection.Id}-{replica.Id}-drain";
        var port = replica.Port.ToString(CultureInfo.InvariantCulture);
        var address = replica.Address!.ToString();
        var own = AgentContainers.RunOnceAsync(_target, tag, replica, ["drain", "--tag", tag, "--port", port], cancellationToken);
        var fences = callers.Select(c => AgentContainers.RunOnceAsync(_target, $"{tag}-{c.Id}", c, ["drain", "--tag", tag, "--port", port, "--to", address], cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll([own, .. fences]).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Each helper's outcome is examined below, so that what was placed is lifted.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        static bool Placed(Task<(long? ExitCode, string Output)> run) => run.IsCompletedSuccessfully && run.Result.ExitCode == 0;

        // Whatever was placed is lifted, even when part of the drain failed and the injection fails with it.
        var fenced = callers.Where((_, i) => Placed(fences[i])).ToArray();
        if (fenced.Length > 0)
        {
            lock (_lifts)
            {
                _lifts.Add(LiftAsync(replica, set, tag, fenced));
            }
        }

        var failed = new[] { (Replica: replica, Run: own) }.Concat(callers.Select((c, i) => (Replica: c, Run: fences[i]))).FirstOrDefault(r => !Placed(r.Run));
        if (failed.Replica is not null)
        {
            var (exitCode, output) = failed.Run.IsCompletedSuccessfully ? failed.Run.Result : (null, failed.Run.Exception?.InnerException?.Message ?? "cancelled");
            var why = failed.Run.IsCompletedSuccessfully ? Why(exitCode) : "the helper container could not run";
            var where = failed.Replica == replica ? string.Empty : $" (refusing {failed.Replica.Id}'s connections to it, in container {failed.Replica.ContainerName})";
            throw new ChaosTargetException(
                $"Draining {replica.Id} (container {replica.ContainerName}){where} before its graceful stop failed: {why}. Output: {output} " +
                $"The helper needs NET_ADMIN and iptables in the tools image {_target.Options.ToolsImage} (build/images/tools.sh). " +
                "Set DockerTargetOptions.DrainBeforeStop = false to send SIGTERM without draining (callers may then open connections to the stopping replica).")
            {
                Fault = Injection.Fault.DisplayName,
                Target = DockerTargetConstants.Name,
            };
        }

        var took = _target.Time.GetElapsedTime(started);
        Injection.Timeline.Record(
            ChaosEventNames.ReplicaDrained,
            replica.Id,
            $"container {replica.ContainerName} refuses new connections to port {replica.Port}, and {fenced.Length} caller(s) refuse their own to {address}:{port} until its replacement serves; established ones go on",
            took);
    }

    /// <summary>Lifts the callers' drain rules for <paramref name="replica"/> once its replacement serves, or at revert.</summary>
    private async Task LiftAsync(DockerReplica replica, DockerReplicaSet set, string tag, IReadOnlyList<DockerReplica> callers)
    {
        try
        {
            await Waits.UntilAsync(
                _ => ValueTask.FromResult(set.FindReplacement(replica.Id) is { State: InstanceState.Ready }),
                TimeSpan.FromMilliseconds(20),
                _options.GracePeriod + _options.ReplacementTimeout,
                _target.Time,
                _reverting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Reverted first: lift now.
        }

        await Task.WhenAll(callers.Where(c => !c.Exited.IsCompleted).Select(async caller =>
        {
            string why;
            try
            {
                var (exitCode, output) = await AgentContainers.RunOnceAsync(_target, $"{tag}-{caller.Id}-lift", caller, ["sweep", "--tag", tag], CancellationToken.None).ConfigureAwait(false);
                if (exitCode == 0)
                {
                    return;
                }

                why = $"{Why(exitCode)}: {output}";
            }
#pragma warning disable CA1031 // Every caller's rule is lifted even when one fails; a failure is logged, as the rule goes with its container.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                why = ex.Message;
            }

            Log.DrainLiftFailed(_logger, caller.Id, caller.ContainerName, replica.Address!.ToString(), why);
        })).ConfigureAwait(false);
    }

    /// <summary>What a one-shot helper's exit code (null: still running at the agent timeout) says went wrong.</summary>
    private string Why(long? exitCode) =>
        exitCode is null ? $"it did not finish within AgentTimeout ({_target.Options.AgentTimeout.TotalSeconds:0.#} s)" : $"it exited with {exitCode}";

    private async Task EscalateAsync(DockerReplica replica)
    {
        try
        {
            await replica.Exited.WaitAsync(_options.GracePeriod, _target.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _target.Engine.KillAsync(replica.ContainerId!, "SIGKILL", CancellationToken.None).ConfigureAwait(false);
        }
    }
}
