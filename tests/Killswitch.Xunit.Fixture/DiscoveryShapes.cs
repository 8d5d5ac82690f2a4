using Killswitch.Flags.Matrix;

namespace Killswitch.Xunit.Fixture;

/// <summary>
/// Methods shaped for the discoverer's tests (tests/Killswitch.Xunit.Tests discovers them in-process and never runs
/// them). Running them would start the system; run ResilienceTests only (`--filter FullyQualifiedName~ResilienceTests`).
/// </summary>
public class DiscoveryShapes
{
    [ChaosFact]
    [FlagVariants("resilient-client")]
    [FlagVariants("checkout-flow", "classic", "wizard")]
    [PodKill("app=payments", Mode = ChaosMode.One)]
    [Latency("app=payments", Milliseconds = 300, Jitter = 50)]
    [ResetPeer("app=payments", From = "checkout")]
    public Task TwoFlagsThreeFaults(ChaosContext chaos) => Task.CompletedTask;

    [ChaosFact(Combine = true)]
    [FlagVariants("checkout-flow")]
    [PodKill("app=payments")]
    [Latency("app=payments", Milliseconds = 300)]
    public Task Combined(ChaosContext chaos) => Task.CompletedTask;

    [ChaosFact(Baseline = false, Matrix = VariantMatrixStrategy.EachVariantOnce)]
    [FlagVariants("resilient-client")]
    [FlagVariants("checkout-flow")]
    [Blackhole("app=payments", CloseAfterMilliseconds = 500, DurationMilliseconds = 1000)]
    [Bandwidth("app=payments", BytesPerSecond = 2048)]
    public void NoBaselineEachVariantOnce()
    {
    }

    [ChaosFact]
    [PodKill("app=payments")]
    public Task NoFlags() => Task.CompletedTask;

    [ChaosFact]
    [FlagVariants("resilent-client")]
    [FlagVariants("checkout-flow", "classic", "wizzard")]
    [PodKill("app=payments")]
    public Task UnknownFlagAndVariant() => Task.CompletedTask;

    [ChaosFact]
    [FlagVariants("resilient-client")]
    [Latency("app=payments", Milliseconds = -5, Jitter = 10)]
    [PodKill("", Mode = ChaosMode.FixedPercent, ModeValue = 150)]
    public Task InvalidFaults() => Task.CompletedTask;

    [ChaosFact]
    [PodKill("app=payments")]
    [PodKill("app=payments", Force = true)]
    public Task DuplicateScenarios() => Task.CompletedTask;

    [ChaosFact]
    [PodKill("app=payments")]
    public Task WrongParameter(int count) => Task.FromResult(count);

    [ChaosFact]
    [FlagVariants("resilient-client")]
    [PodKill("app=payments")]
    [Latency("app=payments", Milliseconds = 300)]
    [KnownWeakness("resilient-client=no-retry", "Latency", Reason = "no retry yet (FIX-1)")]
    public Task KnownWeaknessShape() => Task.CompletedTask;

    [ChaosFact]
    [FlagVariants("resilient-client")]
    [PodKill("app=payments")]
    [KnownWeakness("resilient-client=maybe", "PodKill", Reason = "typo")]
    [KnownWeakness("resilient-client=no-retry", "Latency")]
    public Task KnownWeaknessMisused() => Task.CompletedTask;
}
