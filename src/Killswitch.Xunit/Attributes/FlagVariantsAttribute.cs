namespace Killswitch.Xunit;

/// <summary>
/// Runs a <see cref="ChaosFactAttribute"/> test once per variant of a manifest flag: every variant the manifest
/// defines, or only those listed. Several <c>[FlagVariants]</c> on one method vary several flags together (every
/// combination, or fewer with <see cref="ChaosFactAttribute.Matrix"/>). Unknown keys and variants are reported when
/// tests are discovered, as a failing case naming what the manifest has.
/// </summary>
/// <example><code>[FlagVariants("new-checkout")]                 // on, off: every variant in the manifest
/// [FlagVariants("checkout-flow", "classic", "wizard")] // only these two</code></example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class FlagVariantsAttribute : Attribute
{
    /// <summary>Varies flag <paramref name="flagKey"/> over <paramref name="variants"/>, or over every variant when none is given.</summary>
    public FlagVariantsAttribute(string flagKey, params string[] variants)
    {
        FlagKey = flagKey;
        Variants = variants ?? [];
    }

    /// <summary>The flag key, as in the manifest.</summary>
    public string FlagKey { get; }

    /// <summary>The variants to run; empty = every variant of the flag.</summary>
    public IReadOnlyList<string> Variants { get; }
}
