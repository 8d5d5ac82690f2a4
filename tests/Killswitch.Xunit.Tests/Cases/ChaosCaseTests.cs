using Killswitch.Flags.Matrix;

namespace Killswitch.Xunit.Tests.Cases;

public class ChaosCaseTests
{
    private static readonly FaultSpec PodKill = new PodKillAttribute("app=payments") { Mode = ChaosMode.One }.ToSpec();

    private static ChaosCase Case(string? variant, params FaultSpec[] faults) =>
        new("Shop.CheckoutTests", "Checkout_completes", variant is null ? null : VariantAssignment.Parse(variant), new ChaosScenarioSpec(faults));

    [Fact]
    public void Names_VariantAndFault_AsDocumented()
    {
        var sut = Case("new-checkout=on", PodKill);

        Assert.Equal("Shop.CheckoutTests.Checkout_completes[new-checkout=on|PodKill app=payments]", sut.Id);
        Assert.Equal("Checkout_completes(new-checkout: on, chaos: PodKill app=payments)", sut.DisplayName("Checkout_completes"));
        Assert.Equal(
            [new("Flag", "new-checkout:on"), new("Chaos", "PodKill")],
            sut.Traits);
    }

    [Fact]
    public void Names_BaselineWithoutFlags_DefaultsAndBaseline()
    {
        var sut = Case(null);

        Assert.Equal("Shop.CheckoutTests.Checkout_completes[defaults|baseline]", sut.Id);
        Assert.Equal("M(chaos: baseline)", sut.DisplayName("M"));
        Assert.Equal([new("Chaos", "baseline")], sut.Traits);
    }

    [Fact]
    public void Json_RoundTrip_EveryField()
    {
        var latency = new LatencyAttribute("app=payments") { Milliseconds = 300, Jitter = 50, From = "checkout", Name = "slow payments", Direction = Chaos.TrafficDirection.Both }.ToSpec();
        var sut = Case("a=on,b=wizard", PodKill, latency);

        var copy = ChaosCase.FromJson(sut.ToJson());

        Assert.Equal(sut, copy);
        Assert.Equal(sut.Id, copy.Id);
        Assert.Equal("slow payments", copy.Scenario.Faults[1].Name);
        Assert.Equal(latency.Settings, copy.Scenario.Faults[1].Settings);
        Assert.Equal(sut.Variant, copy.Variant);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"class\":\"C\",\"method\":\"M\",\"faults\":[{\"kind\":\"PodKill\"}]}")]
    public void Json_NotACase_FormatException(string json)
    {
        var ex = Assert.Throws<FormatException>(() => ChaosCase.FromJson(json));

        Assert.StartsWith("Not a serialized chaos case", ex.Message, StringComparison.Ordinal);
    }
}

public class ChaosReportTests
{
    [Fact]
    public void Cases_MapEveryFieldOfTheReportContract()
    {
        var podKill = new ChaosCase("Shop.CheckoutTests", "Checkout_completes", VariantAssignment.Parse("new-checkout=on,flow=wizard"), new ChaosScenarioSpec([new PodKillAttribute("app=payments").ToSpec()]));
        var baseline = new ChaosCase("Shop.CheckoutTests", "Checkout_completes", null, ChaosScenarioSpec.Baseline);
        var entries = new[]
        {
            new ChaosReportEntry(new ChaosCaseResult(podKill, Chaos.Reporting.CaseOutcome.Failed, "why", null, TimeSpan.FromSeconds(2), "local"), "Checkout_completes(new-checkout: on, flow: wizard, chaos: PodKill app=payments)"),
            new ChaosReportEntry(new ChaosCaseResult(baseline, Chaos.Reporting.CaseOutcome.Skipped, "no engine", null, TimeSpan.Zero, "docker"), "Checkout_completes(chaos: baseline)"),
        };

        var sut = ChaosReport.Cases(entries);

        Assert.Equal(podKill.Id, sut[0].Id);
        Assert.Equal("Checkout_completes(new-checkout: on, flow: wizard, chaos: PodKill app=payments)", sut[0].DisplayName);
        Assert.Equal("Shop.CheckoutTests.Checkout_completes", sut[0].Test);
        Assert.Equal(new Dictionary<string, string> { ["new-checkout"] = "on", ["flow"] = "wizard" }, sut[0].Variant);
        Assert.Equal("PodKill app=payments", sut[0].Scenario);
        Assert.Equal((Chaos.Reporting.CaseOutcome.Failed, "why", TimeSpan.FromSeconds(2), "local"), (sut[0].Outcome, sut[0].Message, sut[0].Duration, sut[0].Target));
        Assert.Empty(sut[1].Variant);
        Assert.Equal("baseline", sut[1].Scenario);
        Assert.Equal("docker", sut[1].Target);
    }
}
