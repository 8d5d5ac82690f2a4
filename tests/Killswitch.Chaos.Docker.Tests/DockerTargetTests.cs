using System.Globalization;
using Killswitch.Chaos.Docker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Killswitch.Chaos.Docker.Tests;

[Trait("Category", "Integration")]
[Collection(DockerGroup.Name)]
public sealed class DockerTargetTests(DockerSystemFixture fixture, ITestOutputHelper output) : IClassFixture<DockerSystemFixture>
{
    private static readonly TimeSpan Injected = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(20);

    [DockerFact]
    public async Task Latency_OnPayments_Adds200MsIntoPaymentsOnlyAndRevertRestoresBaseline()
    {
        DockerEnvironment.Require();
        var sut = fixture.Target!;
        using var http = Measure.Client();
        var pay = new Uri(sut.GetEndpoint("payments"), "/pay");
        var neighbour = new Uri(sut.GetEndpoint("checkout"), "/health/ready");
        await Measure.PairedAsync(http, pay, neighbour, count: 10);
        var (before, neighbourBefore) = await Measure.PairedAsync(http, pay, neighbour, count: 21);
        var payments = (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").ToArray();
        var container = sut.GetReplicaSet("payments").Find(payments[0].Id)!.ContainerName;
        var fault = new LatencyOptions { Selector = "app=payments", Latency = Injected };

        var handle = await sut.InjectAsync(new FaultInjection("latency-1-1", fault, payments, new Random(7), new ChaosTimeline()));
        TimeSpan added, neighbourDuring;
        FaultProof proof;
        string rulesDuring;
        IReadOnlyList<string> containersDuring;
        try
        {
            // The agent is a fresh .NET process: its first connections pay for JIT, not for the fault. Warm it, then measure.
            await Measure.PairedAsync(http, pay, neighbour, count: 6);
            (added, neighbourDuring) = await Measure.PairedAsync(http, pay, neighbour, count: 21);
            proof = await handle.VerifyAsync();
            rulesDuring = await EngineState.NatRulesAsync(container);
            containersDuring = await EngineState.ContainersAsync(sut.RunId);
        }
        finally
        {
            await handle.RevertAsync();
        }

        var (after, _) = await Measure.PairedAsync(http, pay, neighbour, count: 21);
        var rulesAfter = await EngineState.NatRulesAsync(container);
        var containersAfter = await EngineState.ContainersAsync(sut.RunId);

        var figures = string.Create(CultureInfo.InvariantCulture,
            $"payments minus neighbour: before {before.TotalMilliseconds:0.0} ms, during {added.TotalMilliseconds:0.0} ms, after {after.TotalMilliseconds:0.0} ms; neighbour {neighbourBefore.TotalMilliseconds:0.0} -> {neighbourDuring.TotalMilliseconds:0.0} ms. Proof: {proof.Message}");
        output.WriteLine(figures);
        Assert.True(proof.TookEffect, figures);
        Assert.Contains("mechanism: ", proof.Message, StringComparison.Ordinal);
        Assert.True(added - before >= Injected - Tolerance && added - before <= Injected + Tolerance, "payments should be 200 ms ± 20 ms slower than its neighbour: " + figures);
        Assert.True(neighbourDuring - neighbourBefore < Tolerance, "the neighbour (checkout) should not be delayed: " + figures);
        Assert.True(after - before < Tolerance, "revert should restore the baseline: " + figures);
        Assert.Equal(2, containersDuring.Count(c => c.Contains("-agent-latency-1-1-payments-", StringComparison.Ordinal)));
        Assert.Contains("killswitch:latency-1-1-", rulesDuring, StringComparison.Ordinal);
        Assert.DoesNotContain("killswitch:", rulesAfter, StringComparison.Ordinal);
        Assert.DoesNotContain(containersAfter, c => c.Contains("-agent-", StringComparison.Ordinal));
    }

    [DockerFact]
    public async Task PodKill_ForceOnOnePaymentsReplica_ReplacedByNewContainerAndReplacementTimeMeasured()
    {
        DockerEnvironment.Require();
        var sut = fixture.Target!;
        var before = (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").Select(i => i.Id).ToHashSet();
        var failures = 0;
        var scenario = new ChaosScenarioBuilder("pod-kill payments")
            .AddPodKill(new PodKillOptions { Selector = "app=payments", Force = true })
            .WithWorkload(async (context, ct) =>
            {
                using var client = context.CreateClient("checkout");
                for (var i = 0; i < 20; i++)
                {
                    try
                    {
                        using var response = await client.GetAsync("/checkout", ct);
                        failures += response.IsSuccessStatusCode ? 0 : 1;
                    }
                    catch (HttpRequestException)
                    {
                        failures++;
                    }

                    await Task.Delay(100, ct);
                }
            })
            .WithSeed(11)
            .Build();

        var result = await new ChaosRunner(sut).RunAsync(scenario);

        var report = Assert.Single(result.Faults);
        Assert.True(result.Verdict == Verdict.Pass, result.ToString());
        Assert.True(report.TookEffect, result.ToString());
        Assert.NotNull(report.RecoveryTime);
        var killed = Assert.Single(report.Instances);
        Assert.Contains(killed, before);
        var after = (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").ToArray();
        Assert.Equal(2, after.Length);
        Assert.DoesNotContain(after, i => i.Id == killed);
        Assert.Contains(after, i => !before.Contains(i.Id) && i.State == InstanceState.Ready);
        Assert.Contains(result.Timeline, e => e.Name == ChaosEventNames.ReplicaRestarted && e.Duration == report.RecoveryTime);
        Assert.DoesNotContain(await EngineState.ContainersAsync(sut.RunId), c => c.Contains("-" + killed + " ", StringComparison.Ordinal));
        using var http = Measure.Client();
        await Measure.TimeAsync(http, new Uri(sut.GetEndpoint("checkout"), "/checkout"));
    }

    [DockerFact]
    public async Task Blackhole_OnPayments_RequestsTimeOutUntilRevertAndProofCountsSwallowedBytes()
    {
        DockerEnvironment.Require();
        var sut = fixture.Target!;
        var payments = (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").ToArray();
        var pay = new Uri(sut.GetEndpoint("payments"), "/pay");
        using var http = Measure.Client();
        http.Timeout = TimeSpan.FromSeconds(1);
        await Measure.TimeAsync(http, pay);

        var handle = await sut.InjectAsync(new FaultInjection("blackhole-1-1", new BlackholeOptions { Selector = "app=payments" }, payments, new Random(5), new ChaosTimeline()));
        FaultProof proof;
        try
        {
            await Assert.ThrowsAnyAsync<TaskCanceledException>(() => http.GetAsync(pay));
            proof = await handle.VerifyAsync();
        }
        finally
        {
            await handle.RevertAsync();
        }

        output.WriteLine(proof.Message);
        Assert.True(proof.TookEffect, proof.Message);
        Assert.Contains("byte(s) into payments-", proof.Message, StringComparison.Ordinal);
        Assert.True(await Measure.TimeAsync(http, pay) < TimeSpan.FromSeconds(1));
    }

    [DockerFact]
    public async Task PodKill_Graceful_ContainerStopsOnSigtermWithinGraceAndIsReplaced()
    {
        DockerEnvironment.Require();
        var sut = fixture.Target!;
        var victim = (await sut.GetInstancesAsync()).First(i => i.Service == "payments");
        var replica = sut.GetReplicaSet("payments").Find(victim.Id)!;
        var fault = new PodKillOptions { Selector = "app=payments", GracePeriod = TimeSpan.FromSeconds(10) };
        var timeline = new ChaosTimeline();

        await using var handle = await sut.InjectAsync(new FaultInjection("pod-kill-9-1", fault, [victim], new Random(3), timeline));
        var proof = await handle.VerifyAsync();

        Assert.True(proof.TookEffect, proof.Message);
        Assert.NotNull(proof.RecoveryTime);
        Assert.Equal(0, replica.ExitCode); // ASP.NET Core shut down on SIGTERM, no SIGKILL was needed
        Assert.Contains(timeline.Events, e => e.Name == ChaosEventNames.ReplicaKilled && e.Detail!.Contains("SIGTERM", StringComparison.Ordinal));
    }
}
