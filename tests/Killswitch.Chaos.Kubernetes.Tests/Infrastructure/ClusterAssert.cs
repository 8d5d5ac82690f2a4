namespace Killswitch.Chaos.Kubernetes.Tests.Infrastructure;

internal static class ClusterAssert
{
    /// <summary>Fails with the reason when the cluster is missing (only reached in CI, where tests must not skip).</summary>
    public static void Available()
    {
        if (TestCluster.Problem is { } problem)
        {
            Assert.Fail("CI=true but no Kubernetes cluster is reachable: " + problem + ". .ci/run starts one with build/k8s/ci.sh start.");
        }
    }
}
