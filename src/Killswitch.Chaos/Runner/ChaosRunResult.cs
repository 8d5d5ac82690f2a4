using System.Globalization;
using System.Text;

namespace Killswitch.Chaos;

/// <summary>The outcome of a chaos run.</summary>
public enum Verdict
{
    /// <summary>Every fault took effect and the steady state held during and after them.</summary>
    Pass,

    /// <summary>The steady state did not hold during or after a fault, or the workload failed.</summary>
    Fail,

    /// <summary>The run proves nothing: a fault did not take effect, or the system was not steady before injection.</summary>
    Inconclusive,
}

/// <summary>Everything a run found: verdict and reasons, the seed to replay it, per-fault and per-probe reports, the timeline.</summary>
public sealed class ChaosRunResult
{
    internal ChaosRunResult(
        string scenario,
        string target,
        string runId,
        int seed,
        Verdict verdict,
        IReadOnlyList<string> reasons,
        IReadOnlyList<FaultReport> faults,
        IReadOnlyList<ProbeReport> probes,
        TimeSpan? recoveryTime,
        IReadOnlyList<TimelineEvent> timeline,
        DateTimeOffset startedAt,
        DateTimeOffset endedAt)
    {
        Scenario = scenario;
        Target = target;
        RunId = runId;
        Seed = seed;
        Verdict = verdict;
        Reasons = reasons;
        Faults = faults;
        Probes = probes;
        RecoveryTime = recoveryTime;
        Timeline = timeline;
        StartedAt = startedAt;
        EndedAt = endedAt;
    }

    /// <summary>The scenario's name.</summary>
    public string Scenario { get; }

    /// <summary>The target's name.</summary>
    public string Target { get; }

    /// <summary>The target session's run id.</summary>
    public string RunId { get; }

    /// <summary>The seed every random choice came from; pass it to <see cref="ChaosScenarioBuilder.WithSeed"/> to replay.</summary>
    public int Seed { get; }

    /// <summary>Pass, Fail or Inconclusive.</summary>
    public Verdict Verdict { get; }

    /// <summary>Why the verdict is not Pass (empty when it is).</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>One report per fault.</summary>
    public IReadOnlyList<FaultReport> Faults { get; }

    /// <summary>Every probe check, in order.</summary>
    public IReadOnlyList<ProbeReport> Probes { get; }

    /// <summary>
    /// Time from the last fault's end (revert, or the kill for PodKill) until every After probe held again; when there is
    /// no After probe, the longest replacement time a fault proved. <see langword="null"/> when neither is known.
    /// </summary>
    public TimeSpan? RecoveryTime { get; }

    /// <summary>Everything that happened.</summary>
    public IReadOnlyList<TimelineEvent> Timeline { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the run ended.</summary>
    public DateTimeOffset EndedAt { get; }

    /// <summary>A short multi-line summary for logs and assertion messages.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Chaos run '{Scenario}' on {Target}: {Verdict} (seed {Seed})");
        if (RecoveryTime is { } recovery)
        {
            sb.Append(CultureInfo.InvariantCulture, $", recovery {recovery.TotalMilliseconds:0} ms");
        }

        foreach (var reason in Reasons)
        {
            sb.AppendLine().Append("  - ").Append(reason);
        }

        foreach (var fault in Faults)
        {
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"  fault {fault.Name}: took effect = {fault.TookEffect}; {string.Join(" ", fault.Evidence)}");
        }

        return sb.ToString();
    }
}

/// <summary>What happened to one fault.</summary>
/// <param name="Name">The fault's display name.</param>
/// <param name="Kind">The fault's kind.</param>
/// <param name="Instances">Ids of every instance it hit.</param>
/// <param name="Injections">How many times it was injected (PodKill with an interval, serial sequence: more than once).</param>
/// <param name="FirstInjectedAt">When it first took force.</param>
/// <param name="LastRevertedAt">When it was last reverted (or the last kill's replacement was awaited).</param>
/// <param name="TookEffect">Whether every injection was proven.</param>
/// <param name="Evidence">The proofs' messages.</param>
/// <param name="RecoveryTime">For PodKill: the longest kill-to-ready time of a replacement.</param>
public sealed record FaultReport(
    string Name,
    string Kind,
    IReadOnlyList<string> Instances,
    int Injections,
    DateTimeOffset? FirstInjectedAt,
    DateTimeOffset? LastRevertedAt,
    bool TookEffect,
    IReadOnlyList<string> Evidence,
    TimeSpan? RecoveryTime);

/// <summary>One probe check.</summary>
/// <param name="Name">The probe.</param>
/// <param name="Phase">Before, During or After.</param>
/// <param name="At">When it was checked.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Detail">What was observed.</param>
public sealed record ProbeReport(string Name, ProbePhases Phase, DateTimeOffset At, bool Passed, string Detail);
