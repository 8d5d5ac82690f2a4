using Killswitch.Flags.Matrix;
using Xunit;
using Xunit.Sdk;

namespace Killswitch.Xunit;

/// <summary>
/// A chaos test: one test case per flag variant (<see cref="FlagVariantsAttribute"/>) x scenario, where the scenarios
/// are a baseline without faults plus one per fault attribute (<see cref="PodKillAttribute"/>, <see cref="LatencyAttribute"/>
/// ...), or the baseline plus all faults together when <see cref="Combine"/> is set. Each case runs against the system
/// of <see cref="KillswitchSystemAttribute"/>: select the variant, wait for steady state, inject, run the body, revert,
/// check recovery. The method takes no parameter or one <see cref="ChaosContext"/>.
/// </summary>
/// <example><code>[ChaosFact]
/// [FlagVariants("new-checkout")]
/// [PodKill("app=payments")]
/// public async Task Checkout_completes(ChaosContext chaos) { ... }</code></example>
[XunitTestCaseDiscoverer("Killswitch.Xunit.Sdk.ChaosFactDiscoverer", "Killswitch.Xunit")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ChaosFactAttribute : FactAttribute
{
    /// <summary>All fault attributes make one scenario (faults at the same time) instead of one scenario each. Default false.</summary>
    public bool Combine { get; set; }

    /// <summary>Add the baseline scenario (the body with no fault) to each variant. Default true.</summary>
    public bool Baseline { get; set; } = true;

    /// <summary>How the variants of several flags combine. Default <see cref="VariantMatrixStrategy.Cartesian"/> (every combination).</summary>
    public VariantMatrixStrategy Matrix { get; set; } = VariantMatrixStrategy.Cartesian;
}
