namespace Killswitch.Chaos;

/// <summary>
/// Runs a system under test and applies faults to it. The local-process target ships in this package; Docker and
/// Kubernetes targets implement the same interface in their own packages.
/// </summary>
/// <remarks>
/// Contract every target keeps: <see cref="StartAsync"/> is idempotent and first sweeps what crashed earlier sessions
/// left (<see cref="SweepAsync"/>); everything it creates is labelled with <see cref="RunId"/> and recorded in a journal
/// before it is created or injected; <see cref="IAsyncDisposable.DisposeAsync"/> reverts every fault in force and
/// removes what the target created, and is idempotent.
/// </remarks>
public interface IChaosTarget : IAsyncDisposable
{
    /// <summary>Short name for messages and reports (<c>local</c>, <c>docker</c>, <c>kubernetes</c>).</summary>
    string Name { get; }

    /// <summary>Identifies this target session; labels and journal entries carry it.</summary>
    string RunId { get; }

    /// <summary>Starts the system (or attaches to it), after sweeping leftovers of dead sessions. Idempotent.</summary>
    ValueTask StartAsync(CancellationToken cancellationToken = default);

    /// <summary>The instances that exist now.</summary>
    ValueTask<IReadOnlyList<Instance>> GetInstancesAsync(CancellationToken cancellationToken = default);

    /// <summary>The stable, balanced address of a service (a Kubernetes Service, a proxy in front of local replicas).</summary>
    Uri GetEndpoint(string service);

    /// <summary>Whether this target can inject <paramref name="fault"/>; when not, the reason.</summary>
    bool Supports(FaultOptions fault, out string? reason);

    /// <summary>
    /// Injects a fault on the chosen instances. The target records the injection in its journal before acting. The
    /// returned handle proves the fault took effect and reverts it.
    /// </summary>
    ValueTask<IFaultHandle> InjectAsync(FaultInjection injection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Undoes what sessions whose owner process is dead left behind (processes, proxies, containers, pods, rules).
    /// </summary>
    ValueTask<SweepReport> SweepAsync(CancellationToken cancellationToken = default);
}

/// <summary>A fault in force. Disposing reverts it (idempotent).</summary>
public interface IFaultHandle : IAsyncDisposable
{
    /// <summary>The injection this handle belongs to.</summary>
    FaultInjection Injection { get; }

    /// <summary>
    /// Proves the fault took effect (the killed process is gone and a replacement serves; traffic through the affected
    /// path was delayed by at least the latency ...). May wait, polling with a deadline.
    /// </summary>
    ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default);

    /// <summary>Reverts the fault and clears it from the journal. Idempotent.</summary>
    ValueTask RevertAsync(CancellationToken cancellationToken = default);
}

/// <summary>What the runner asks a target to do.</summary>
/// <param name="Id">Unique per injection within a run (<c>latency-1</c>), recorded in the journal.</param>
/// <param name="Fault">The validated options.</param>
/// <param name="Instances">The instances chosen by selector and mode.</param>
/// <param name="Random">The run's seeded random source (jitter and any other random choice use it).</param>
/// <param name="Timeline">Where the target records what happens (replica killed, restarted ...).</param>
public sealed record FaultInjection(string Id, FaultOptions Fault, IReadOnlyList<Instance> Instances, Random Random, ChaosTimeline Timeline);

/// <summary>Whether a fault took effect, with the evidence.</summary>
/// <param name="TookEffect">False makes the run inconclusive.</param>
/// <param name="Message">The evidence, or why there is none, in a sentence a person can act on.</param>
/// <param name="RecoveryTime">For faults that end in a replacement (PodKill): kill until the replacement was ready.</param>
public sealed record FaultProof(bool TookEffect, string Message, TimeSpan? RecoveryTime = null);

/// <summary>What a sweep removed.</summary>
/// <param name="SessionsSwept">Journals of dead owners that were cleaned and deleted.</param>
/// <param name="ProcessesKilled">Processes (or containers, pods) removed.</param>
/// <param name="Details">One line per action, for the log.</param>
public sealed record SweepReport(int SessionsSwept, int ProcessesKilled, IReadOnlyList<string> Details)
{
    /// <summary>Nothing to sweep.</summary>
    public static SweepReport Empty { get; } = new(0, 0, []);
}
