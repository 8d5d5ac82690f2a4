using Killswitch.Chaos;
using Killswitch.Chaos.Local;
using Killswitch.Chaos.Reporting;
using Killswitch.Flags;
using Killswitch.Flags.Matrix;
using Killswitch.Xunit.Fixture;

namespace Killswitch.Xunit.Tests.Execution;

/// <summary>The per-case lifecycle on real processes (tests/Killswitch.Chaos.TestApp), without xunit in between.</summary>
[Trait("Category", "Integration")]
[Collection(nameof(EndToEnd.FixtureRunTests))]
public sealed class ChaosHostTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ks-host-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task RestartWithEnvironment_RestartsOnlyWhenTheVariantChanges()
    {
        var manifest = FlagManifest.Load(Path.Combine(AppContext.BaseDirectory, "flags.json"));
        var factory = new LocalTargetFactory(new LocalTargetOptions { JournalDirectory = Path.Combine(_directory, "journal") });
        await using var sut = new ChaosHost(new RestartSystem(), manifest, factory, new ChaosHostOptions { ReportDirectory = _directory });

        var first = await CheckoutPidAsync(sut, "resilient-client=retry");
        var again = await CheckoutPidAsync(sut, "resilient-client=retry");
        var other = await CheckoutPidAsync(sut, "resilient-client=no-retry");

        Assert.Equal(first, again);
        Assert.NotEqual(again, other);
        Assert.True(File.Exists(Path.Combine(_directory, "timelines", "C.M_resilient-client_no-retry_baseline_.log")));
    }

    private static async Task<string> CheckoutPidAsync(ChaosHost host, string variant)
    {
        string? pid = null;
        var result = await host.RunAsync(new ChaosCase("C", "M", VariantAssignment.Parse(variant), ChaosScenarioSpec.Baseline), async context =>
        {
            using var checkout = context.CreateClient("checkout");
            pid = await checkout.GetStringAsync("/pid", context.CancellationToken);
        });

        Assert.True(result.Outcome == CaseOutcome.Passed, result.Message);
        return pid!;
    }

    private sealed class RestartSystem : ChaosSystem
    {
        public override FlagDelivery FlagDelivery => FlagDelivery.RestartWithEnvironment;

        public override SystemUnderTest CreateSystem() => new FixtureSystem().CreateSystem();
    }
}
