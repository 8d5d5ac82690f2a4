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
        // Outside the default AllowedNamespaces (killswitch-*): sessions of other test projects running on this host at the
        // same time sweep only where they may act, so they leave this dead driver's leftovers to this test.
        var ns = "ks-sweep-" + Guid.NewGuid().ToString("N")[..6];
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

            Assert.Contains(report.Details, d => d.StartsWith($"deleted helper pod {ns}/{helper.Metadata.Name} of dead owner", StringComparison.Ordinal) && d.EndsWith("its agent reverted the rules", StringComparison.Ordinal));
            Assert.True(report.ProcessesKilled >= 1);
            // Deleted, its agent reverted; the kubelet may still be tearing the pod down.
            Assert.All((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "killswitch.dev/role=fault-helper")).Items, h => Assert.NotNull(h.Metadata.DeletionTimestamp));
            Assert.DoesNotContain(report.Details, d => d.StartsWith("swept pod", StringComparison.Ordinal));
            Assert.False(File.Exists(journalPath), "the dead session's journal is removed once swept");
            var restored = await TestCluster.MedianAsync(http, endpoint);
            Assert.True(restored < TimeSpan.FromMilliseconds(150), $"after the sweep payments still answered in {restored.TotalMilliseconds:0} ms: a rule or proxy was left in the pod");
            Assert.Equal(SweepReport.Empty, await next.SweepAsync());
            Assert.All((await client.CoreV1.ListNamespacedPodAsync(ns)).Items, p => Assert.DoesNotContain("killswitch.dev/network-fault", p.Metadata.Labels?.Keys ?? []));
        }
        finally
        {
            await client.CoreV1.DeleteNamespaceAsync(ns, new V1DeleteOptions { PropagationPolicy = "Background" });
        }
    }

    [ClusterFact]
    public async Task Sweep_AgentSigkilledWithItsOwner_NextSessionRemovesTheRulesLeftInTheTargetPod()
    {
        ClusterAssert.Available();
        using var client = (k8s.Kubernetes)TestCluster.Client();
        // Outside the default AllowedNamespaces (killswitch-*): sessions of other test projects running on this host at the
        // same time sweep only where they may act, so they leave this dead driver's leftovers to this test.
        var ns = "ks-sweep-" + Guid.NewGuid().ToString("N")[..6];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        Process? driver = null;
        try
        {
            driver = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { TestCluster.DriverPath, TestCluster.Kubeconfig!, TestCluster.Context!, ns, _directory, "400" },
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            string? ready;
            using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4)))
            {
                ready = await driver.StandardOutput.ReadLineAsync(cts.Token);
            }

            Assert.NotNull(ready);
            Assert.StartsWith("READY ", ready, StringComparison.Ordinal);
            var endpoint = new Uri(new Uri(ready.Split(' ')[2]), "/health/ready");
            var helper = Assert.Single((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "killswitch.dev/role=fault-helper")).Items);
            var victim = helper.Metadata.Annotations["killswitch.dev/target-pod"].Split('/')[1];

            // SIGKILL the agent too, so nothing reverts: a kill from inside its own container (the same cgroup; the
            // helper shares the node's PID namespace, so the match is on the cgroup, not on the name alone).
            var killed = await ExecAsync(client, helper, """
                self="$(cat /proc/self/cgroup)"
                for d in /proc/[0-9]*; do
                  [ "${d#/proc/}" = "$$" ] && continue
                  [ "$(cat "$d/cgroup" 2>/dev/null)" = "$self" ] || continue
                  grep -qa 'Killswitch.Chaos.Agent[.]dll' "$d/cmdline" 2>/dev/null && kill -9 "${d#/proc/}" && echo "killed ${d#/proc/}"
                done
                true
                """);
            var ended = await WaitAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync(helper.Metadata.Name, ns)).Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated);
            Assert.True(ended.ExitCode == 137, $"the agent ended with {ended.ExitCode}, not SIGKILL's 137; the kill printed: {killed}");

            // Then its owner, as a CI runner kills a hung test host. (In this order: while the owner lives, no other
            // session on this host may sweep the helper away before the agent is seen dead.)
            driver.Kill(entireProcessTree: false);
            await driver.WaitForExitAsync();

            var marked = await client.CoreV1.ReadNamespacedPodAsync(victim, ns);
            Assert.Equal("true", marked.Metadata.Labels["killswitch.dev/network-fault"]);
            var mark = marked.Metadata.Annotations["fault.killswitch.dev/latency-1-1"];
            Assert.StartsWith(Environment.MachineName + "/", mark, StringComparison.Ordinal);
            using var http = TestCluster.Http();
            var mechanism = mark.Split('|')[^1];
            switch (mechanism)
            {
                case "netem":
                    // A kernel with netem (kind on most laptops): the qdisc outlives its agent and keeps delaying.
                    Assert.True(await TestCluster.MedianAsync(http, endpoint, count: 3) >= TimeSpan.FromMilliseconds(380), "the netem qdisc should outlive its agent");
                    break;
                case "proxy":
                    // The proxy died with the agent; its REDIRECT rule still sends new connections to its port: refused.
                    var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(endpoint));
                    Assert.Contains("refused", refused.Message, StringComparison.OrdinalIgnoreCase);
                    break;
                default:
                    // nfqueue: its rules carry --queue-bypass, so with no reader bound packets pass; the rules are still
                    // in the pod, and the sweep's count below (iptables in the pod's namespace) says how many.
                    Assert.Equal("nfqueue", mechanism);
                    break;
            }

            var options = TestCluster.Options(_directory);
            options.Namespace = ns;
            options.AllowedNamespaces.Add(ns);
            await using var next = new KubernetesTarget(new SystemUnderTest([new ServiceDefinition("payments").AddRuntime(KubernetesRuntime.FromImage(TestCluster.TestAppImage))]), options);
            var started = Stopwatch.GetTimestamp();
            var report = await next.SweepAsync();
            var sweepTime = Stopwatch.GetElapsedTime(started);

            var details = string.Join(Environment.NewLine, report.Details);
            var helperLine = report.Details.FirstOrDefault(d => d.StartsWith($"deleted helper pod {ns}/{helper.Metadata.Name} of dead owner", StringComparison.Ordinal));
            if (helperLine is not null)
            {
                Assert.Contains("ended without reverting", helperLine, StringComparison.Ordinal);
            }
            else
            {
                // A session of an older build on this shared host may have deleted the dead owner's helper first (its
                // sweep knew no marks and no namespace allow-list); then only the mark is left, which is the point here.
                Assert.DoesNotContain((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "killswitch.dev/role=fault-helper")).Items, p => p.Metadata.DeletionTimestamp is null);
            }

            // Whichever mechanism the agent chose (it is in the mark), the sweep removed at least the rule it left.
            Assert.True(report.Details.Any(d => System.Text.RegularExpressions.Regex.IsMatch(d, $"^swept pod {ns}/{victim}: removed ([1-9][0-9]* rule\\(s\\) of fault latency-1-1 \\(mechanism [a-z]+\\)|0 rule\\(s\\) of fault latency-1-1 \\(mechanism netem\\).*, and a netem qdisc$)")), details);
            var restored = await TestCluster.MedianAsync(http, endpoint);
            Assert.True(restored < TimeSpan.FromMilliseconds(150), $"after the sweep payments answered in {restored.TotalMilliseconds:0} ms: a rule or proxy was left in the pod");
            var cleared = await client.CoreV1.ReadNamespacedPodAsync(victim, ns);
            Assert.DoesNotContain("killswitch.dev/network-fault", cleared.Metadata.Labels.Keys);
            Assert.DoesNotContain(cleared.Metadata.Annotations?.Keys ?? [], k => k.StartsWith("fault.killswitch.dev/", StringComparison.Ordinal));
            Assert.Equal(cleared.Metadata.Uid, marked.Metadata.Uid);
            Assert.DoesNotContain((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "killswitch.dev/role=fault-sweeper")).Items, p => p.Metadata.DeletionTimestamp is null);
            started = Stopwatch.GetTimestamp();
            Assert.Equal(SweepReport.Empty, await next.SweepAsync());
            Console.WriteLine($"kubernetes sweep of a killed agent: {sweepTime.TotalMilliseconds:0} ms (helper deleted, sweep pod run, mark removed); nothing to sweep: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms; {details}");
        }
        finally
        {
            if (driver is { HasExited: false })
            {
                driver.Kill(entireProcessTree: false);
            }

            driver?.Dispose();
            await client.CoreV1.DeleteNamespaceAsync(ns, new V1DeleteOptions { PropagationPolicy = "Background" });
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> in the helper's container and returns what it printed within 30 s. The exec stream
    /// does not always see its end when the command ends (KubernetesClient's demuxer blocks in a synchronous read), so
    /// the exec is abandoned after the deadline; callers check the script's effect, not its exit.
    /// </summary>
    private static async Task<string> ExecAsync(k8s.Kubernetes client, V1Pod pod, string script)
    {
        var output = new System.Text.StringBuilder();
        using var cts = new CancellationTokenSource();
        var exec = Task.Run(() => client.NamespacedPodExecAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, "agent", ["/bin/bash", "-c", script + "\necho done"], false, async (_, stdout, _) =>
        {
            using var reader = new StreamReader(stdout);
            while (await reader.ReadLineAsync(cts.Token) is { } line && line != "done")
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }, cts.Token));
        await Task.WhenAny(exec, Task.Delay(TimeSpan.FromSeconds(30)));
        await cts.CancelAsync();
        lock (output)
        {
            return output.ToString();
        }
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(Stopwatch.GetTimestamp() < deadline, "the condition did not hold within 60 s");
            await Task.Delay(250);
        }
    }
}
