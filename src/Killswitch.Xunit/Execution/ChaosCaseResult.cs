using Killswitch.Chaos;
using Killswitch.Chaos.Reporting;

namespace Killswitch.Xunit;

/// <summary>What running one case found.</summary>
/// <param name="Case">The case.</param>
/// <param name="Outcome">Passed, Failed, Inconclusive or Skipped.</param>
/// <param name="Message">Why it did not pass (names variant, scenario, what the probes saw, where the timeline is); null when passed.</param>
/// <param name="Run">The chaos run, when the case got that far.</param>
/// <param name="Duration">From taking the system to the verdict.</param>
/// <param name="Target">The target's name.</param>
/// <param name="BodyException">What the test body threw, if it threw.</param>
/// <param name="TimelinePath">The case's timeline file, when written.</param>
public sealed record ChaosCaseResult(
    ChaosCase Case,
    CaseOutcome Outcome,
    string? Message,
    ChaosRunResult? Run,
    TimeSpan Duration,
    string Target,
    Exception? BodyException = null,
    string? TimelinePath = null);
