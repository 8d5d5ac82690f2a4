using k8s;
using Killswitch.Chaos.Kubernetes.Tests.Infrastructure;

namespace Killswitch.Chaos.Kubernetes.Tests.Deploy;

[Trait("Category", "Integration")]
[Collection(ClusterGroup.Name)]
public sealed class DeployIntegrationTests
{
    [ClusterFact]
    public async Task Start_DeploysEveryServiceRolledOut_DependencyByClusterIP_EndpointsServe()
    {
        ClusterAssert.Available();
        await using var sut = new KubernetesTarget(TestCluster.System(), TestCluster.Options());

        await sut.StartAsync();

        var instances = await sut.GetInstancesAsync();
        Assert.Equal(["checkout", "payments", "payments"], instances.Select(i => i.Service).Order());
        Assert.All(instances, i => Assert.Equal(InstanceState.Ready, i.State));
        Assert.All(instances, i => Assert.Equal(sut.RunId, i.Labels["killswitch.dev/run-id"]));
        using var http = TestCluster.Http();
        Assert.Equal("ordered", await http.GetStringAsync(new Uri(sut.GetEndpoint("checkout"), "/checkout")));
        var namespaceObject = await sut.Client.CoreV1.ReadNamespaceAsync(sut.Namespace);
        Assert.StartsWith(Environment.MachineName + "/", namespaceObject.Metadata.Annotations["killswitch.dev/owner"], StringComparison.Ordinal);
    }

    [ClusterFact]
    public async Task SetEnvironment_FlagVariantAsVariables_RolledOutToNewPods()
    {
        ClusterAssert.Available();
        await using var sut = new KubernetesTarget(TestCluster.System(paymentsReplicas: 1), TestCluster.Options());
        await sut.StartAsync();
        var before = (await sut.GetInstancesAsync()).Single(i => i.Service == "payments").Id;

        await sut.SetEnvironmentAsync("payments", new Dictionary<string, string?> { ["FLAG_NEW_CHECKOUT"] = "true", ["FeatureManagement__new-checkout"] = "true" });

        var pods = (await sut.Client.CoreV1.ListNamespacedPodAsync(sut.Namespace, labelSelector: "killswitch.dev/service=payments")).Items.Where(p => p.Metadata.DeletionTimestamp is null).ToArray();
        var pod = Assert.Single(pods);
        Assert.NotEqual(before, pod.Metadata.Name);
        var env = pod.Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("true", env["FLAG_NEW_CHECKOUT"]);
        Assert.Equal("true", env["FeatureManagement__new-checkout"]);

        await sut.SetEnvironmentAsync("payments", new Dictionary<string, string?> { ["FLAG_NEW_CHECKOUT"] = null });

        var deployment = await sut.Client.AppsV1.ReadNamespacedDeploymentAsync("payments", sut.Namespace);
        Assert.DoesNotContain(deployment.Spec.Template.Spec.Containers[0].Env, e => e.Name == "FLAG_NEW_CHECKOUT");
    }
}
