using System.Globalization;
using Killswitch.Chaos.Tests.Infrastructure;

namespace Killswitch.Chaos.Tests.Local;

[Trait("Category", "Integration")]
[Collection(LocalProcessesGroup.Name)]
public sealed class LocalTargetTests(LocalSystemFixture fixture) : IClassFixture<LocalSystemFixture>
{
    private static readonly TimeSpan Injected = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Latency_OnEdgeCheckoutToPayments_ObservedOnEdgeNotOnDirectRouteAndRevertRestoresBaseline()
    {
        var target = fixture.Target;
        using var http = TestApp.Client();
        var checkout = new Uri(target.GetEndpoint("checkout"), "/checkout");
        var direct = new Uri(target.GetEndpoint("payments"), "/pay");
        var edge = new Uri(target.GetEdgeEndpoint("checkout", "payments"), "/pay");
        await TestApp.MedianAsync(http, checkout, count: 20);
        await TestApp.MedianAsync(http, edge, count: 20);
        var checkoutBefore = await TestApp.MedianAsync(http, checkout, count: 21);
        TimeSpan edgeAdded = default, checkoutDuring = default, directFastest = default;
        var scenario = new ChaosScenarioBuilder("latency checkout->payments")
            .AddLatency(new LatencyOptions { Selector = "app=payments", From = "checkout", Latency = Injected })
            .WithWorkload(async (_, ct) =>
            {
                // Interleaved pairs against the same payments replicas: the edge's extra time is measured against the
                // direct route at the same moment, so load from other processes on this machine cancels out.
                (edgeAdded, directFastest) = await TestApp.PairedAsync(http, edge, direct, count: 15, ct);
                checkoutDuring = await TestApp.MedianAsync(http, checkout, count: 9, cancellationToken: ct);
            })
            .Build();

        var result = await new ChaosRunner(target).RunAsync(scenario);
        var checkoutAfter = await TestApp.MedianAsync(http, checkout, count: 21);

        Assert.True(result.Verdict == Verdict.Pass, result.ToString());
        Assert.True(result.Faults[0].TookEffect, result.ToString());
        var message = string.Create(CultureInfo.InvariantCulture,
            $"edge added {edgeAdded.TotalMilliseconds:0.0} ms; fastest direct {directFastest.TotalMilliseconds:0.0} ms; checkout {checkoutBefore.TotalMilliseconds:0.0} -> {checkoutDuring.TotalMilliseconds:0.0} -> {checkoutAfter.TotalMilliseconds:0.0} ms");
        Assert.True(edgeAdded >= Injected - Tolerance && edgeAdded <= Injected + Tolerance, "the edge should add 200 ms ± 20 ms: " + message);
        // Against the post-revert figure: the first requests of a fresh process are slower (tiered JIT), so "before" is the noisier baseline.
        Assert.True(checkoutDuring - checkoutAfter >= Injected - Tolerance, "checkout, which calls payments over the edge, should be slower by the latency: " + message);
        Assert.True(directFastest < Tolerance, "the direct route into payments should not be delayed: " + message);
        Assert.True(checkoutAfter - checkoutBefore < Tolerance, "revert should restore the baseline: " + message);
    }

    [Fact]
    public async Task Latency_OnEdgeNoRequestTraverses_Inconclusive()
    {
        var target = fixture.Target;
        using var http = TestApp.Client();
        var pay = new Uri(target.GetEndpoint("payments"), "/pay");
        var scenario = new ChaosScenarioBuilder("latency nobody sees")
            .AddLatency(new LatencyOptions { Selector = "app=payments", From = "checkout", Latency = Injected })
            .WithWorkload(async (_, ct) => await TestApp.MedianAsync(http, pay, count: 3, cancellationToken: ct))
            .Build();

        var result = await new ChaosRunner(target).RunAsync(scenario);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.StartsWith("Fault 'latency' did not take effect: No traffic crossed checkout->payments", Assert.Single(result.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodKill_SelectorMatchesNothing_FailsWithSelectorAndExistingLabels()
    {
        var scenario = new ChaosScenarioBuilder("typo")
            .AddPodKill(new PodKillOptions { Selector = "app=shipping" })
            .WithWorkload((_, _) => Task.CompletedTask)
            .Build();

        var ex = await Assert.ThrowsAsync<NoMatchingInstancesException>(() => new ChaosRunner(fixture.Target).RunAsync(scenario));

        Assert.Equal(
            ["app=checkout,killswitch.dev/service=checkout,tier=web", "app=payments,killswitch.dev/service=payments,tier=backend"],
            ex.ExistingLabels);
        Assert.Contains("'app=shipping'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PodKill_OneReplica_KilledProcessGoneReplacementServesTimeRecorded(bool force)
    {
        var target = fixture.Target;
        using var http = TestApp.Client();
        var scenario = new ChaosScenarioBuilder("pod-kill payments")
            .AddPodKill(new PodKillOptions { Selector = "app=payments", Force = force, GracePeriod = TimeSpan.FromSeconds(5) })
            .AddHttpProbe(new HttpProbeOptions { Name = "checkout", Service = "checkout", Path = "/checkout", Phases = ProbePhases.Before | ProbePhases.After })
            .WithWorkload((_, _) => Task.CompletedTask)
            .Build();

        var result = await new ChaosRunner(target).RunAsync(scenario);

        Assert.True(result.Verdict == Verdict.Pass, result.ToString());
        var fault = Assert.Single(result.Faults);
        var killedId = Assert.Single(fault.Instances);
        var payments = target.GetReplicaSet("payments");
        var killed = payments.Find(killedId)!;
        var replacement = payments.FindReplacement(killedId)!;
        Assert.False(killed.Identity.IsAlive(), $"pid {killed.Process.Id} should be gone");
        Assert.Equal(InstanceState.Ready, replacement.State);
        Assert.NotEqual(killed.Process.Id, replacement.Process.Id);
        Assert.Equal(replacement.Process.Id.ToString(CultureInfo.InvariantCulture), await http.GetStringAsync(new Uri(replacement.Endpoint, "/pid")));
        Assert.True(fault.RecoveryTime > TimeSpan.Zero, result.ToString());
        Assert.Contains(result.Timeline, e => e.Name == ChaosEventNames.ReplicaKilled && e.Subject == killedId);
        Assert.Contains(result.Timeline, e => e.Name == ChaosEventNames.ReplicaRestarted && e.Subject == replacement.Id && e.Duration > TimeSpan.Zero);
        Assert.Equal(2, (await target.GetInstancesAsync()).Count(i => i.Service == "payments" && i.State == InstanceState.Ready));
    }
}
