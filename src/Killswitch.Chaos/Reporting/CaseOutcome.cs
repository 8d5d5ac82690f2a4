namespace Killswitch.Chaos.Reporting;

/// <summary>How one test case of a chaos matrix ended, as the test framework saw it.</summary>
public enum CaseOutcome
{
    /// <summary>The case ran and its assertions and the chaos verdict held.</summary>
    Passed,

    /// <summary>The case ran and failed: an assertion, the workload, or a Fail verdict.</summary>
    Failed,

    /// <summary>The case ran but proves nothing: a fault did not take effect, or the system was not steady first.</summary>
    Inconclusive,

    /// <summary>The case did not run (for example its target is not available here).</summary>
    Skipped,
}
