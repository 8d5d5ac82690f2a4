using System.Net.Http.Json;
using System.Reflection;
using Killswitch.Chaos;
using Killswitch.Chaos.Local;
using Killswitch.Xunit;
using Shop.ChaosTests;

[assembly: KillswitchSystem(typeof(ShopSystem))]

namespace Shop.ChaosTests;

/// <summary>
/// samples/Shop as the system under test: one checkout replica calling two payments replicas through PAYMENTS_URL,
/// the new-checkout flag served over OFREP (checkout reads OFREP_URL, Killswitch's default variable).
/// </summary>
public sealed class ShopSystem : ChaosSystem
{
    public override IReadOnlyList<string> ManifestPaths => ["flags.json"];

    public override SystemUnderTest CreateSystem() => new(
    [
        new ServiceDefinition("payments")
            .WithLabel("app", "payments")
            .WithReplicas(2)
            .AddRuntime(LocalProcessRuntime.DotNet(App("Shop.Payments"))),
        new ServiceDefinition("checkout")
            .WithLabel("app", "checkout")
            .AddDependency("payments", "PAYMENTS_URL")
            .AddRuntime(LocalProcessRuntime.DotNet(App("Shop.Checkout"))),
    ]);

    /// <summary>
    /// A few orders before each case: a freshly started process answers its first orders slowly while the JIT warms
    /// up, which would fail the new flow's 250 ms budget in the baseline too (samples/Shop/README.md).
    /// </summary>
    public override async Task WarmUpAsync(ChaosWarmUpContext context)
    {
        var checkout = new Uri(context.GetEndpoint("checkout"), "checkout");
        for (var i = 0; i < 10; i++)
        {
            using var response = await context.Http.PostAsJsonAsync(checkout, new { amount = 1.0m }, context.CancellationToken);
        }
    }

    private static string App(string name) =>
        typeof(ShopSystem).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value!;
}
