namespace Killswitch.Chaos.Reporting;

/// <summary>One test case of a chaos matrix: a test method run under one flag variant and one scenario.</summary>
/// <param name="Id">The case's unique, stable id.</param>
/// <param name="DisplayName">The name the test framework shows (<c>Checkout_completes(new-checkout: on, chaos: PodKill app=payments)</c>).</param>
/// <param name="Test">The test method as <c>Class.Method</c>.</param>
/// <param name="Variant">The flag variants served, by flag key (<c>new-checkout</c> → <c>on</c>); empty when the case has no flags.</param>
/// <param name="Scenario"><see cref="ReportConstants.BaselineScenario"/>, or the faults in force (<c>PodKill app=payments</c>).</param>
/// <param name="Outcome">How the case ended.</param>
/// <param name="Message">Why it failed, was inconclusive or skipped; <see langword="null"/> when it passed.</param>
/// <param name="Run">The chaos run, or <see langword="null"/> when the case did not run one.</param>
/// <param name="Duration">How long the case took.</param>
/// <param name="Target">The chaos target's name (<c>local</c>, <c>docker</c>, <c>kubernetes</c>).</param>
public sealed record ReportCase(
    string Id,
    string DisplayName,
    string Test,
    IReadOnlyDictionary<string, string> Variant,
    string Scenario,
    CaseOutcome Outcome,
    string? Message,
    ChaosRunResult? Run,
    TimeSpan Duration,
    string Target);
