using System.Diagnostics;
using k8s;
using k8s.Models;
using Killswitch.Chaos.Kubernetes.Tests.Infrastructure;

namespace Killswitch.Chaos.Kubernetes.Tests.Network;

[Trait("Category", "Integration")]
[Collection(ClusterGroup.Name)]
public sealed class SweepIntegrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "killswitch-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [ClusterFact]
    public async Task Sweep_DriverSigkilledWithLatencyInForce_NextSessionRevertsTheHelperAndItsRules()
    {
        ClusterAssert.Available();
        using var client = (k8s.Kubernetes)TestCluster.Client();
        var ns = "killswitch-sweep-" + Guid.NewGuid().ToString("N")[..6];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        try
        {
            var driver = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { TestCluster.DriverPath, TestCluster.Kubeconfig!, TestCluster.Context!, ns, _directory, "400" },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            string? ready;
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
                ready = await driver.StandardOutput.ReadLineAsync(cts.Token);
            }
            finally
            {
                // SIGKILL the driver alone: exactly what a CI runner killing a hung test host does.
                driver.Kill(entireProcessTree: false);
                await driver.WaitForExitAsync();
                driver.Dispose();
            }

            Assert.NotNull(ready);
            Assert.StartsWith("READY ", ready, StringComparison.Ordinal);
            var journalPath = ready.Split(' ')[1];
            var endpoint = new Uri(new Uri(ready.Split(' ')[2]), "/health/ready");
            using var http = TestCluster.Http();
            var leftover = await TestCluster.MedianAsync(http, endpoint, count: 5);
            Assert.True(leftover >= TimeSpan.FromMilliseconds(380), $"with its driver dead the fault should still be in force (else the sweep proves nothing); payments answered in {leftover.TotalMilliseconds:0} ms");
            var helper = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "killswitch.dev/role=fault-helper")).Items);

            var options = TestCluster.Options(_directory);
            options.Namespace = ns;
            options.AllowedNamespaces.Add(ns);
            await using var next = new KubernetesTarget(new SystemUnderTest([new ServiceDefinition("payments").AddRuntime(KubernetesRuntime.FromImage(TestCluster.TestAppImage))]), options);
            var report = await next.SweepAsync();

            Assert.Contains(report.Details, d => d.StartsWith($"deleted helper pod {ns}/{helper.Metadata.Name} of dead owner", StringComparison.Ordinal));
            Assert.True(report.ProcessesKilled >= 1);
            Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "killswitch.dev/role=fault-helper")).Items);
            Assert.False(File.Exists(journalPath), "the dead session's journal is removed once swept");
            var restored = await TestCluster.MedianAsync(http, endpoint);
            Assert.True(restored < TimeSpan.FromMilliseconds(150), $"after the sweep payments still answered in {restored.TotalMilliseconds:0} ms: a rule or proxy was left in the pod");
            Assert.Equal(SweepReport.Empty, await next.SweepAsync());
        }
        finally
        {
            await client.CoreV1.DeleteNamespaceAsync(ns, new V1DeleteOptions { PropagationPolicy = "Background" });
        }
    }
}
