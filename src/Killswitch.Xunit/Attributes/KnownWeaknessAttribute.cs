namespace Killswitch.Xunit;

/// <summary>
/// Declares that a variant does not survive a fault yet, so the chaos matrix stays green while the report tells the
/// truth: the matching cases must fail (their test then passes, and the report records them as failed, with
/// <see cref="Reason"/>); if one passes, its test fails and says the weakness is fixed, so the attribute cannot outlive
/// the fix. An inconclusive case still fails: it proves neither.
/// </summary>
/// <example><code>[KnownWeakness("new-checkout=on", "Latency", Reason = "the one-page checkout has no retry yet (SHOP-42)")]</code></example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class KnownWeaknessAttribute : Attribute
{
    /// <summary>The cases whose variant includes <paramref name="variant"/> and whose scenario matches <paramref name="scenario"/>.</summary>
    /// <param name="variant">Flag variants as <c>key=variant</c>, several joined by commas (<c>new-checkout=on</c>).</param>
    /// <param name="scenario">A fault kind the scenario contains (<c>Latency</c>), or a scenario's full name (<c>PodKill app=payments</c>).</param>
    public KnownWeaknessAttribute(string variant, string scenario)
    {
        Variant = variant;
        Scenario = scenario;
    }

    /// <summary>The variant, as <c>key=variant</c> pairs.</summary>
    public string Variant { get; }

    /// <summary>The fault kind or scenario name.</summary>
    public string Scenario { get; }

    /// <summary>Why, and where the fix is tracked. Required: the report and the test output show it.</summary>
    public string? Reason { get; set; }
}
