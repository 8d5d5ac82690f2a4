using System.Globalization;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// PodKill on containers: SIGKILL (<c>docker kill</c>), or SIGTERM then SIGKILL after the grace period (<c>docker stop</c>
/// with the fault's grace, measured here rather than rounded to whole seconds). A graceful kill first drains each victim
/// (<see cref="DockerTargetOptions.DrainBeforeStop"/>), as Kubernetes takes a pod out of its Service before SIGTERM. The replica set replaces the container
/// when the engine reports it died; the proof is the replacement serving, and its time since the kill.
/// </summary>
internal sealed class DockerPodKillHandle : IFaultHandle
{
    private readonly PodKillOptions _options;
    private readonly IReadOnlyList<(DockerReplica Replica, DockerReplicaSet Set)> _victims;
    private readonly DockerTarget _target;
    private readonly List<Task> _escalations = [];
    private int _reverted;

    public DockerPodKillHandle(FaultInjection injection, IReadOnlyList<(DockerReplica, DockerReplicaSet)> victims, DockerTarget target)
    {
        Injection = injection;
        _options = (PodKillOptions)injection.Fault;
        _victims = victims;
        _target = target;
    }

    public FaultInjection Injection { get; }

    public async ValueTask InjectAsync(CancellationToken cancellationToken)
    {
        _target.Journal.AddFault(new JournalFault(Injection.Id, Injection.Fault.Kind, [.. _victims.Select(v => v.Replica.Id)], "containers killed; replacements are started by the target"));
        if (!_options.Force && _target.Options.DrainBeforeStop)
        {
            await Task.WhenAll(_victims.Select(v => DrainAsync(v.Replica, v.Set, cancellationToken))).ConfigureAwait(false);
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

        // Nothing to undo: the replica set replaces killed containers. Finish pending SIGKILL escalations first.
        await Task.WhenAll(_escalations).ConfigureAwait(false);
        _target.Journal.RemoveFault(Injection.Id);
    }

    public ValueTask DisposeAsync() => RevertAsync();

    /// <summary>
    /// Takes <paramref name="replica"/> out of its service: no new connections from the host endpoint, and a TCP reset for
    /// new connections from the private network (the rule lives in the replica's namespace and goes with it).
    /// </summary>
    private async Task DrainAsync(DockerReplica replica, DockerReplicaSet set, CancellationToken cancellationToken)
    {
        var started = _target.Time.GetTimestamp();
        set.TakeOutOfService(replica);
        var tag = $"{Injection.Id}-{replica.Id}-drain";
        var name = $"{_target.ContainerPrefix}-agent-{tag}";
        var (exitCode, output) = await AgentContainers.RunOnceAsync(
            _target,
            "agent:" + tag,
            name,
            replica,
            ["drain", "--tag", tag, "--port", replica.Port.ToString(CultureInfo.InvariantCulture)],
            cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var why = exitCode is null ? $"it did not finish within AgentTimeout ({_target.Options.AgentTimeout.TotalSeconds:0.#} s)" : $"it exited with {exitCode}";
            throw new ChaosTargetException(
                $"Draining {replica.Id} (container {replica.ContainerName}) before its graceful stop failed: {why}. Output: {output} " +
                $"The helper needs NET_ADMIN and iptables in the tools image {_target.Options.ToolsImage} (build/images/tools.sh). " +
                "Set DockerTargetOptions.DrainBeforeStop = false to send SIGTERM without draining (callers may then open connections to the stopping replica).")
            {
                Fault = Injection.Fault.DisplayName,
                Target = DockerTargetConstants.Name,
            };
        }

        var took = _target.Time.GetElapsedTime(started);
        Injection.Timeline.Record(ChaosEventNames.ReplicaDrained, replica.Id, $"container {replica.ContainerName} refuses new connections to port {replica.Port}; established ones go on", took);
    }

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
