using Killswitch.Flags.Matrix;

namespace Killswitch.Xunit;

/// <summary>
/// What a chaos test method asks for, read from its attributes by a framework adapter: the flags to vary, the faults,
/// whether to combine them and whether to add a baseline. <see cref="ChaosCaseExpander"/> turns it into cases.
/// </summary>
/// <param name="TestClass">The test class's full name.</param>
/// <param name="TestMethod">The method's name.</param>
/// <param name="Flags">The <c>[FlagVariants]</c>, in attribute order: flag key and the variants listed (empty = all).</param>
/// <param name="Faults">The fault attributes as specs, in attribute order.</param>
/// <param name="Combine">All faults in one scenario instead of one scenario each.</param>
/// <param name="Baseline">Add the scenario without faults.</param>
/// <param name="Matrix">How several flags' variants combine.</param>
/// <param name="KnownWeaknesses">The <c>[KnownWeakness]</c>es: variant (<c>key=variant</c> pairs), scenario (fault kind or name), reason.</param>
public sealed record ChaosMethodSpec(
    string TestClass,
    string TestMethod,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Flags,
    IReadOnlyList<FaultSpec> Faults,
    bool Combine = false,
    bool Baseline = true,
    VariantMatrixStrategy Matrix = VariantMatrixStrategy.Cartesian,
    IReadOnlyList<(string Variant, string Scenario, string? Reason)>? KnownWeaknesses = null);
