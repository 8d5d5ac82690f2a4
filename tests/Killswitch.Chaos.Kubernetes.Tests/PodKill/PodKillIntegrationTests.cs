using k8s;
using Killswitch.Chaos.Kubernetes.Tests.Infrastructure;

namespace Killswitch.Chaos.Kubernetes.Tests.PodKill;

[Trait("Category", "Integration")]
[Collection(ClusterGroup.Name)]
public sealed class PodKillIntegrationTests
{
    [ClusterFact]
    public async Task PodKill_OneOfTwoReplicas_VictimGoneAndReplacementReadyMeasured()
    {
        ClusterAssert.Available();
        await using var sut = new KubernetesTarget(TestCluster.System(), TestCluster.Options());
        await sut.StartAsync();
        var before = (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").Select(i => i.Id).ToArray();
        var scenario = new ChaosScenarioBuilder("payments pod-delete")
            .AddPodKill(new PodKillOptions { Selector = "app=payments", GracePeriod = TimeSpan.FromSeconds(1), Duration = TimeSpan.FromSeconds(1) })
            // Steady state before and recovery after. Not During: after a graceful delete kube-proxy keeps routing to the
            // terminating pod until its endpoints update (CI run 15:19: "Connection refused" mid-fault) — a real property
            // of Services that a PodKill test of the kill itself must not depend on.
            .AddHttpProbe(new HttpProbeOptions { Name = "payments serves", Service = "payments", Path = "/pay", Phases = ProbePhases.Before | ProbePhases.After })
            .WithSeed(7)
            .Build();

        var result = await new ChaosRunner(sut).RunAsync(scenario);

        Assert.True(result.Verdict == Verdict.Pass, result.ToString());
        var fault = Assert.Single(result.Faults);
        var victim = Assert.Single(fault.Instances);
        Assert.Contains(victim, before);
        Assert.True(fault.TookEffect, string.Join(" ", fault.Evidence));
        // Gone from the API, or (on a busy node) its containers exited while the kubelet still reclaims the pod object,
        // reported by the node or, when the node does not report it, by the kubelet refusing an exec into the container.
        Assert.Matches("their UIDs are gone|their containers have exited \\(1 pod object\\(s\\) still being reclaimed by the kubelet(\\)|; .+: exit not reported by the node, but the kubelet refused an exec into container '.+': \\d+ container not found)", Assert.Single(fault.Evidence));
        Assert.NotNull(fault.RecoveryTime);
        Assert.InRange(fault.RecoveryTime.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60));
        var after = (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").ToArray();
        Assert.Equal(2, after.Length);
        Assert.DoesNotContain(after, i => i.Id == victim);
        Assert.All(after, i => Assert.Equal(InstanceState.Ready, i.State));
        Assert.Contains(result.Timeline, e => e.Name == ChaosEventNames.ReplicaRestarted && e.Duration == fault.RecoveryTime);
    }

    [ClusterFact]
    public async Task PodKill_GracefulWithPreStopDelay_ServiceKeepsAnsweringThroughout()
    {
        ClusterAssert.Available();
        await using var sut = new KubernetesTarget(TestCluster.System(preStopDelay: TimeSpan.FromSeconds(3)), TestCluster.Options());
        await sut.StartAsync();
        var scenario = new ChaosScenarioBuilder("payments graceful pod-delete, service answers")
            // The fault lasts past the victim's whole termination (3 s preStop, then SIGTERM): every During check
            // falls while a pod of payments is terminating, the window in which kube-proxy catches up.
            .AddPodKill(new PodKillOptions { Selector = "app=payments", GracePeriod = TimeSpan.FromSeconds(10), Duration = TimeSpan.FromSeconds(8) })
            .AddHttpProbe(new HttpProbeOptions { Name = "payments serves", Service = "payments", Path = "/pay", Phases = ProbePhases.All })
            .WithProbeInterval(TimeSpan.FromMilliseconds(200))
            .WithSeed(11)
            .Build();

        var result = await new ChaosRunner(sut).RunAsync(scenario);

        Assert.True(result.Verdict == Verdict.Pass, result.ToString());
        var during = result.Probes.Where(p => p.Phase == ProbePhases.During).ToArray();
        Assert.True(during.Length >= 10, $"only {during.Length} During check(s) ran: too few to say the service held");
        Assert.All(during, p => Assert.True(p.Passed, p.Detail));
        Assert.True(Assert.Single(result.Faults).TookEffect);
    }

    [ClusterFact]
    public async Task PodKill_ForcedSerialOverBothReplicas_EachReplacedBeforeTheNext()
    {
        ClusterAssert.Available();
        await using var sut = new KubernetesTarget(TestCluster.System(), TestCluster.Options());
        await sut.StartAsync();
        var scenario = new ChaosScenarioBuilder("payments forced serial")
            .AddPodKill(new PodKillOptions { Selector = "app=payments", Mode = SelectionMode.All, Force = true, Sequence = PodKillSequence.Serial, Duration = TimeSpan.FromSeconds(1) })
            .WithSeed(3)
            .Build();

        var result = await new ChaosRunner(sut).RunAsync(scenario);

        Assert.True(result.Verdict == Verdict.Pass, result.ToString());
        var fault = Assert.Single(result.Faults);
        Assert.Equal(2, fault.Injections);
        Assert.Equal(2, fault.Instances.Count);
        Assert.All(fault.Evidence, e => Assert.Contains("(forced)", e, StringComparison.Ordinal));
    }

    [ClusterFact]
    public async Task PodKill_MoreThanMaxShareAtOnce_RefusedAndNothingDeleted()
    {
        ClusterAssert.Available();
        await using var sut = new KubernetesTarget(TestCluster.System(), TestCluster.Options());
        await sut.StartAsync();
        var payments = (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").ToArray();
        var kill = new PodKillOptions { Selector = "app=payments", Mode = SelectionMode.All };

        var ex = await Assert.ThrowsAsync<ChaosTargetException>(() => sut.InjectAsync(new FaultInjection("pod-kill-1-1", kill, payments, new Random(1), new ChaosTimeline())).AsTask());

        Assert.Equal(
            "Refusing to delete 2 of the 2 pods of 'payments' at once: MaxPodKillShare (0.5) allows 1. Choose fewer (Mode = SelectionMode.Fixed(1), or Sequence = PodKillSequence.Serial), or raise KubernetesTargetOptions.MaxPodKillShare.",
            ex.Message);
        Assert.Equal(payments.Select(p => p.Id).Order(), (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").Select(i => i.Id).Order());
    }

    [ClusterFact]
    public async Task DryRun_ListsWhatWouldBeHit_DeletesNothing_RunIsInconclusive()
    {
        ClusterAssert.Available();
        var options = TestCluster.Options();
        options.DryRun = true;
        await using var sut = new KubernetesTarget(TestCluster.System(), options);
        await sut.StartAsync();
        var before = (await sut.GetInstancesAsync()).Select(i => i.Id).Order().ToArray();
        var scenario = new ChaosScenarioBuilder("dry run")
            .AddPodKill(new PodKillOptions { Selector = "app=payments", Duration = TimeSpan.FromSeconds(1) })
            .AddLatency(new LatencyOptions { Selector = "app=checkout", Latency = TimeSpan.FromMilliseconds(100), Duration = TimeSpan.FromSeconds(1) })
            .WithSeed(1)
            .Build();

        var result = await new ChaosRunner(sut).RunAsync(scenario);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        var plans = result.Timeline.Where(e => e.Name == KubernetesEventNames.DryRun).Select(e => e.Detail!).ToArray();
        Assert.Equal(2, plans.Length);
        Assert.Contains(plans, p => p.StartsWith($"delete pod(s) {sut.Namespace}/payments-", StringComparison.Ordinal) && p.EndsWith("(grace 5 s)", StringComparison.Ordinal));
        Assert.Contains(plans, p => p.StartsWith("add 100 ms ± 0 ms latency (Downstream) to traffic into pod(s) " + sut.Namespace + "/checkout-", StringComparison.Ordinal));
        Assert.Equal(before, (await sut.GetInstancesAsync()).Select(i => i.Id).Order());
        Assert.Empty((await sut.Client.CoreV1.ListNamespacedPodAsync(sut.Namespace, labelSelector: "killswitch.dev/role=fault-helper")).Items);
    }
}
