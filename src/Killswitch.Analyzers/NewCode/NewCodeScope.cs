namespace Killswitch.Analyzers.NewCode;

/// <summary>Which code KS1001 treats as new (MSBuild property <c>KillswitchNewCodeScope</c>).</summary>
public enum NewCodeScope
{
    /// <summary>Only code added relative to the merge-base with the base ref (working tree included).</summary>
    Changed,

    /// <summary>All code is new: every unguarded code path is reported (adopting the rule on a whole codebase).</summary>
    All,

    /// <summary>Nothing is new: KS1001 reports nothing.</summary>
    None,
}
