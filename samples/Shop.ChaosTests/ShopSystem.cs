using System.Net.Http.Json;
using System.Reflection;
using Killswitch.Chaos;
using Killswitch.Chaos.Docker;
using Killswitch.Chaos.Kubernetes;
using Killswitch.Chaos.Local;
using Killswitch.Xunit;
using Shop.ChaosTests;

[assembly: KillswitchSystem(typeof(ShopSystem))]

namespace Shop.ChaosTests;

/// <summary>
/// samples/Shop as the system under test: one checkout replica calling two payments replicas through PAYMENTS_URL,
/// the new-checkout flag served over OFREP (checkout reads OFREP_URL, Killswitch's default variable). Each service has
/// a runtime per target; <c>KILLSWITCH_TARGET</c> chooses which one runs (local processes by default):
/// <list type="bullet">
/// <item><c>local</c>: the apps built next to this assembly, as processes.</item>
/// <item><c>docker</c>: the images <c>build/images/shop.sh</c> builds from samples/Shop's Dockerfiles.</item>
/// <item><c>kubernetes</c>: the Deployments of samples/Shop/k8s/ (the same images). The target replaces the manifests'
/// <c>PAYMENTS_URL</c> with the payments Service's ClusterIP (no cluster DNS needed) and <c>OFREP_URL</c> with a relay
/// to this process's OFREP server.</item>
/// </list>
/// </summary>
public sealed class ShopSystem : ChaosSystem
{
    public override IReadOnlyList<string> ManifestPaths => ["flags.json"];

    public override SystemUnderTest CreateSystem() => new(
    [
        new ServiceDefinition("payments")
            .WithLabel("app", "payments")
            .WithReplicas(2)
            .AddRuntime(LocalProcessRuntime.DotNet(App("Shop.Payments")))
            .AddRuntime(new DockerRuntime("killswitch/shop-payments:dev"))
            .AddRuntime(KubernetesRuntime.FromManifest(Manifest("payments.yaml"))),
        new ServiceDefinition("checkout")
            .WithLabel("app", "checkout")
            .AddDependency("payments", "PAYMENTS_URL")
            .AddRuntime(LocalProcessRuntime.DotNet(App("Shop.Checkout")))
            .AddRuntime(new DockerRuntime("killswitch/shop-checkout:dev"))
            .AddRuntime(KubernetesRuntime.FromManifest(Manifest("checkout.yaml"))),
    ]);

    /// <summary>
    /// A few orders before each case: a freshly started process answers its first orders slowly while the JIT warms
    /// up, which would fail the new flow's 500 ms budget in the baseline too (samples/Shop/README.md).
    /// </summary>
    public override async Task WarmUpAsync(ChaosWarmUpContext context)
    {
        var checkout = new Uri(context.GetEndpoint("checkout"), "checkout");
        for (var i = 0; i < 10; i++)
        {
            using var response = await context.Http.PostAsJsonAsync(checkout, new { amount = 1.0m }, context.CancellationToken);
        }
    }

    /// <summary>samples/Shop/k8s/&lt;file&gt;, copied next to this assembly.</summary>
    private static string Manifest(string file) => Path.Combine(AppContext.BaseDirectory, "k8s", file);

    private static string App(string name) =>
        typeof(ShopSystem).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value!;
}
