using Killswitch.Xunit.Sdk;
using Killswitch.Xunit.Tests.Infrastructure;
using Xunit.Sdk;

namespace Killswitch.Xunit.Tests.Sdk;

public class ChaosFactDiscovererTests
{
    private const string Shapes = "Killswitch.Xunit.Fixture.DiscoveryShapes";

    [Fact]
    public void Discover_TwoFlagsThreeFaults_OneCasePerVariantTimesScenario()
    {
        var cases = Discovery.Cases("TwoFlagsThreeFaults");

        // resilient-client (retry, no-retry) x checkout-flow (classic, wizard) x (baseline + 3 faults)
        Assert.Equal(2 * 2 * 4, cases.Count);
        Assert.Equal(
            [
                "resilient-client=retry,checkout-flow=classic|baseline",
                "resilient-client=retry,checkout-flow=classic|PodKill app=payments",
                "resilient-client=retry,checkout-flow=classic|Latency app=payments",
                "resilient-client=retry,checkout-flow=classic|ResetPeer app=payments",
                "resilient-client=retry,checkout-flow=wizard|baseline",
            ],
            cases.Take(5).Select(c => c.Case.VariantName + "|" + c.Case.Scenario.Name));
    }

    [Fact]
    public void Discover_Combine_OneScenarioWithEveryFault()
    {
        var cases = Discovery.Cases("Combined");

        Assert.Equal(3 * 2, cases.Count);
        Assert.Equal(["baseline", "PodKill app=payments + Latency app=payments"], cases.Select(c => c.Case.Scenario.Name).Distinct());
        Assert.Equal(["Latency", "PodKill"], cases[1].Traits["Chaos"].Order());
    }

    [Fact]
    public void Discover_NoBaselineEachVariantOnce_MatrixStrategyAndNoBaseline()
    {
        var cases = Discovery.Cases("NoBaselineEachVariantOnce");

        // EachVariantOnce over 2 and 3 variants: 3 assignments; 2 faults, no baseline.
        Assert.Equal(3 * 2, cases.Count);
        Assert.DoesNotContain(cases, c => c.Case.Scenario.IsBaseline);
    }

    [Fact]
    public void Discover_NoFlags_BaselineAndFaultUnderTheDefaults()
    {
        var cases = Discovery.Cases("NoFlags");

        Assert.Equal([$"{Shapes}.NoFlags(chaos: baseline)", $"{Shapes}.NoFlags(chaos: PodKill app=payments)"], cases.Select(c => c.DisplayName));
        Assert.False(cases[0].Traits.ContainsKey("Flag"));
    }

    [Fact]
    public void Discover_DisplayNameAndTraits_AsDocumented()
    {
        var sut = Discovery.Cases("TwoFlagsThreeFaults")[1];

        Assert.Equal($"{Shapes}.TwoFlagsThreeFaults(resilient-client: retry, checkout-flow: classic, chaos: PodKill app=payments)", sut.DisplayName);
        Assert.Equal(["resilient-client:retry", "checkout-flow:classic"], sut.Traits["Flag"]);
        Assert.Equal(["PodKill"], sut.Traits["Chaos"]);
        Assert.Equal($"{Shapes}.TwoFlagsThreeFaults[resilient-client=retry,checkout-flow=classic|PodKill app=payments]", sut.Case.Id);
    }

    [Fact]
    public void Discover_MethodDisplay_Method_ShortNames()
    {
        var sut = Discovery.Discover("NoFlags", display: TestMethodDisplay.Method);

        Assert.Equal("NoFlags(chaos: PodKill app=payments)", sut[1].DisplayName);
    }

    [Fact]
    public void Discover_UniqueIds_UniqueAndStableAcrossDiscoveries()
    {
        var first = Discovery.Cases("TwoFlagsThreeFaults").Select(c => c.UniqueID).ToArray();
        var second = Discovery.Cases("TwoFlagsThreeFaults").Select(c => c.UniqueID).ToArray();

        Assert.Equal(first.Length, first.Distinct().Count());
        Assert.Equal(first, second);
        Assert.All(first, id => Assert.Matches("^[0-9a-f]{64}$", id));
    }

    [Fact]
    public void Serialize_EveryCase_RoundTripsEveryField()
    {
        foreach (var sut in Discovery.Cases("TwoFlagsThreeFaults").Concat(Discovery.Cases("NoBaselineEachVariantOnce")))
        {
            var text = SerializationHelper.Serialize(sut);
            var copy = SerializationHelper.Deserialize<ChaosTestCase>(text);

            Assert.Equal(sut.UniqueID, copy.UniqueID);
            Assert.Equal(sut.DisplayName, copy.DisplayName);
            Assert.Equal(sut.Case, copy.Case);
            Assert.Equal(sut.Case.Scenario.Faults, copy.Case.Scenario.Faults);
            Assert.Equal(sut.Traits.OrderBy(t => t.Key).SelectMany(t => t.Value), copy.Traits.OrderBy(t => t.Key).SelectMany(t => t.Value));
            Assert.Equal(sut.TestMethod.Method.Name, copy.TestMethod.Method.Name);
        }
    }

    [Fact]
    public void Discover_UnknownFlagAndVariant_OneFailingCaseNamingWhatTheManifestHas()
    {
        var message = Discovery.Error("UnknownFlagAndVariant");

        Assert.StartsWith($"Chaos test {Shapes}.UnknownFlagAndVariant cannot run (2 problems):", message, StringComparison.Ordinal);
        Assert.Contains("[FlagVariants(\"resilent-client\")]: flag 'resilent-client' is not in the manifest (flags.json); its flags are resilient-client, checkout-flow. Fix the key, or add the flag to the manifest.", message, StringComparison.Ordinal);
        Assert.Contains("flag 'checkout-flow' has no variant 'wizzard'; its variants are classic, wizard, express. Fix the variant names, or list none to run every variant.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_InvalidFaultOptions_EveryProblemListed()
    {
        var message = Discovery.Error("InvalidFaults");

        Assert.Contains("cannot run (3 problems)", message, StringComparison.Ordinal);
        Assert.Contains("Latency must be greater than zero (was -5 ms).", message, StringComparison.Ordinal);
        Assert.Contains("Selector is required (for example 'app=payments').", message, StringComparison.Ordinal);
        Assert.Contains("percentage must be greater than 0 and at most 100 (was 150).", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_DuplicateScenarioNames_TellsToSetName()
    {
        var message = Discovery.Error("DuplicateScenarios");

        Assert.Contains("Scenario 'PodKill app=payments' appears 2 times, so its cases could not be told apart: set Name on the fault attributes.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_WrongParameter_SaysWhatAChaosTestTakes()
    {
        var message = Discovery.Error("WrongParameter");

        Assert.Contains("WrongParameter takes (Int32 count); a chaos test takes no parameter or one ChaosContext.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_NoSystemDefined_SaysHowToDefineOne()
    {
        var message = Discovery.Error("TwoFlagsThreeFaults", withSystem: false);

        Assert.Contains("cannot run (1 problem)", message, StringComparison.Ordinal);
        Assert.Contains("[assembly: KillswitchSystem(typeof(MySystem))]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_KnownWeakness_MarksOnlyTheMatchingCasesAndSerializesIt()
    {
        var cases = Discovery.Cases("KnownWeaknessShape");

        var marked = Assert.Single(cases, c => c.Case.KnownWeakness is not null);
        Assert.Equal("resilient-client=no-retry|Latency app=payments", marked.Case.VariantName + "|" + marked.Case.Scenario.Name);
        Assert.Equal("no retry yet (FIX-1)", marked.Case.KnownWeakness);
        Assert.Equal("no retry yet (FIX-1)", SerializationHelper.Deserialize<ChaosTestCase>(SerializationHelper.Serialize(marked)).Case.KnownWeakness);
    }

    [Fact]
    public void Discover_KnownWeaknessMatchingNothingOrWithoutReason_Problems()
    {
        var message = Discovery.Error("KnownWeaknessMisused");

        Assert.Contains("[KnownWeakness(\"resilient-client=no-retry\", \"Latency\")] needs a Reason", message, StringComparison.Ordinal);
        Assert.Contains("[KnownWeakness(\"resilient-client=maybe\", \"PodKill\")] matches no case", message, StringComparison.Ordinal);
    }
}
