using System.Net;
using Killswitch.Flags;
using Killswitch.Flags.Delivery;
using Killswitch.Flags.Matrix;

namespace Killswitch.Chaos.Kubernetes.Tests.Docs;

/// <summary>
/// The code shown in docs/targets/kubernetes.md, compiled here so the page cannot drift from the API. The cluster
/// tests run the same calls against a real cluster.
/// </summary>
internal static class KubernetesDocSnippets
{
    public static async Task<ChaosRunResult> KindQuickStartAsync()
    {
        var payments = KubernetesRuntime.FromImage("killswitch/chaos-testapp:1", 8080, ["--service", "payments", "--urls", "http://0.0.0.0:8080"]);
        payments.PreStopDelay = TimeSpan.FromSeconds(3);   // a deleted pod keeps serving while its Service catches up
        var system = new SystemUnderTest(
        [
            new ServiceDefinition("payments")
                .WithLabel("app", "payments")
                .WithReplicas(2)
                .AddRuntime(payments),
        ]);
        await using var target = new KubernetesTarget(system, new KubernetesTargetOptions
        {
            Cluster = ClusterProvider.Kind("killswitch", "build/kind/cluster.yaml", ["killswitch/chaos-testapp:1"]),
            EndpointMode = EndpointMode.NodePort,
        });
        var scenario = new ChaosScenarioBuilder("payments pod-delete")
            .AddPodKill(new PodKillOptions { Selector = "app=payments", GracePeriod = TimeSpan.FromSeconds(10), Duration = TimeSpan.FromSeconds(8) })
            .AddHttpProbe(new HttpProbeOptions { Name = "payments serves", Service = "payments", Path = "/pay" })   // before, during, after
            .Build();
        return await new ChaosRunner(target).RunAsync(scenario);
    }

    public static KubernetesTargetOptions AllowASharedNamespace()
    {
        var options = new KubernetesTargetOptions { Cluster = ClusterProvider.Existing(kubeconfigPath: null, context: "staging"), Namespace = "shop", DryRun = true };
        options.AllowedContexts.Add("staging");
        options.AllowedNamespaces.Add("shop");
        return options;
    }

    public static async Task FlagVariantsAsync(KubernetesTarget target, FlagManifest manifest, VariantAssignment assignment)
    {
        // Default: environment variables through the Deployment, rolled out.
        var variables = EnvironmentVariableDelivery.Create(manifest, assignment).ToDictionary(v => v.Key, v => (string?)v.Value);
        await target.SetEnvironmentAsync("checkout", variables);

        // OFREP: a server on the address pods reach the test host at (docker0's gateway for the CI cluster).
        await using var ofrep = await OfrepServer.StartAsync(manifest, IPAddress.Parse("172.17.0.1"));
        ofrep.Select(assignment);
    }
}
