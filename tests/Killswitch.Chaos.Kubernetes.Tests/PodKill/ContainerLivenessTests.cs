using k8s;
using k8s.Models;
using Killswitch.Chaos.Kubernetes.Tests.Infrastructure;

namespace Killswitch.Chaos.Kubernetes.Tests.PodKill;

/// <summary>
/// What the PodKill proof asks the kubelet when a node is slow to report a deleted pod's containers as terminated: an
/// exec into a running container is accepted, one into a container that has exited is refused ("container not found").
/// The exited case is a pod held in the API by a finalizer after the kubelet stopped it, as a loaded kubelet holds one.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ClusterGroup.Name)]
public sealed class ContainerLivenessTests
{
    private const string Hold = "killswitch.dev/test-hold";

    [ClusterFact]
    public async Task AskAsync_RunningContainerRuns_ExitedContainerOfAPodStillInTheApiHasExited()
    {
        ClusterAssert.Available();
        await using var sut = new KubernetesTarget(TestCluster.System(paymentsReplicas: 1), TestCluster.Options());
        await sut.StartAsync();
        var instance = (await sut.GetInstancesAsync()).First(i => i.Service == "payments");
        var running = await sut.Client.CoreV1.ReadNamespacedPodAsync(instance.Id, sut.Namespace);
        var container = running.Spec.Containers[0];

        var runs = await ContainerLiveness.AskAsync(sut, instance.Id, container.Name, CancellationToken.None);

        var held = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "ks-liveness-held", Finalizers = [Hold] },
            Spec = new V1PodSpec
            {
                TerminationGracePeriodSeconds = 1,
                Containers = [new V1Container { Name = "app", Image = container.Image, ImagePullPolicy = "Never", Command = container.Command, Args = container.Args, Env = container.Env }],
            },
        };
        await sut.Client.CoreV1.CreateNamespacedPodAsync(held, sut.Namespace);
        (bool? Exited, string Detail) exited;
        try
        {
            await UntilAsync(sut, p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Running is not null);
            await sut.Client.CoreV1.DeleteNamespacedPodAsync(held.Metadata.Name, sut.Namespace);
            await UntilAsync(sut, p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated is not null);
            exited = await ContainerLiveness.AskAsync(sut, held.Metadata.Name, "app", CancellationToken.None);
        }
        finally
        {
            var patch = new V1Patch("""[{"op":"remove","path":"/metadata/finalizers"}]""", V1Patch.PatchType.JsonPatch);
            await sut.Client.CoreV1.PatchNamespacedPodAsync(patch, held.Metadata.Name, sut.Namespace);
        }

        Assert.False(runs.Exited, runs.Detail);
        Assert.True(exited.Exited, exited.Detail);
        Assert.Contains("container not found", exited.Detail, StringComparison.Ordinal);
    }

    private static async Task UntilAsync(KubernetesTarget sut, Func<V1Pod, bool> condition)
    {
        for (var i = 0; i < 120; i++)
        {
            if (condition(await sut.Client.CoreV1.ReadNamespacedPodAsync("ks-liveness-held", sut.Namespace)))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail("ks-liveness-held did not reach the expected state within 60 s.");
    }
}
