using Killswitch.Xunit.Tests.Infrastructure;

namespace Killswitch.Xunit.Tests.EndToEnd;

/// <summary>
/// The chaos tests of tests/Killswitch.Xunit.Fixture run by <c>dotnet test --filter</c> on the local target: real
/// test host, real processes (tests/Killswitch.Chaos.TestApp), a real OFREP server switching the variant.
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(FixtureRunTests))]
public class FixtureRunTests
{
    private const string Test = "Checkout_survives";

    [Fact]
    public async Task FilterByFlag_RunsThatVariantUnderEveryScenario_AndTheResilientVariantPasses()
    {
        using var run = await FixtureRun.RunAsync("FullyQualifiedName~ResilienceTests&Flag=resilient-client:retry");

        Assert.Equal(
            [
                $"{Test}(resilient-client: retry, chaos: Latency app=payments)",
                $"{Test}(resilient-client: retry, chaos: PodKill app=payments)",
                $"{Test}(resilient-client: retry, chaos: baseline)",
            ],
            run.Results.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(run.Results, r => Assert.True(r.Outcome == "Passed", $"{r.Name}: {r.Outcome} {r.Message}"));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(run.ReportDirectory, "timelines"), "*.log").Length);
        var podKill = File.ReadAllText(Directory.GetFiles(Path.Combine(run.ReportDirectory, "timelines"), "*PodKill*").Single());
        Assert.Contains("Chaos.ReplicaKilled", podKill, StringComparison.Ordinal);
        Assert.Contains("Chaos.FaultReverted", podKill, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilterByChaos_RunsThatFaultUnderEveryVariant_AndTheBrokenVariantFailsNamingVariantAndFault()
    {
        using var run = await FixtureRun.RunAsync("FullyQualifiedName~ResilienceTests&Chaos=PodKill");

        Assert.Equal(2, run.Results.Count);
        var resilient = Assert.Single(run.Results, r => r.Name == $"{Test}(resilient-client: retry, chaos: PodKill app=payments)");
        var broken = Assert.Single(run.Results, r => r.Name == $"{Test}(resilient-client: no-retry, chaos: PodKill app=payments)");
        Assert.True(resilient.Outcome == "Passed", resilient.Message);
        Assert.Equal("Failed", broken.Outcome);
        Assert.Contains("Chaos case failed: variant resilient-client=no-retry under fault PodKill app=payments, on target local.", broken.Message, StringComparison.Ordinal);
        Assert.Contains("GET /checkout answered", broken.Message, StringComparison.Ordinal);
        Assert.Contains("Steady state:", broken.Message, StringComparison.Ordinal);
        Assert.Contains("Fault PodKill app=payments: took effect", broken.Message, StringComparison.Ordinal);
        Assert.Contains("Timeline: " + run.ReportDirectory, broken.Message, StringComparison.Ordinal);
        Assert.Contains("[killswitch] FAIL " + broken.Name, run.Output, StringComparison.Ordinal);
    }
}
