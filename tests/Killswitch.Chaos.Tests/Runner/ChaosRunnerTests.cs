using Killswitch.Chaos.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Killswitch.Chaos.Tests.Runner;

public sealed class ChaosRunnerTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeTarget _target = new(FakeTarget.Make("checkout-1", "checkout"), FakeTarget.Make("payments-1", "payments"), FakeTarget.Make("payments-2", "payments"));

    public ValueTask DisposeAsync() => _target.DisposeAsync();

    private ChaosRunner CreateSut() => new(_target, new ChaosRunnerOptions { TimeProvider = _time });

    private static ChaosScenarioBuilder Scenario(Func<ChaosWorkloadContext, CancellationToken, Task>? workload = null) =>
        new ChaosScenarioBuilder("s")
            .AddLatency(new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromMilliseconds(200) })
            .WithWorkload(workload ?? ((_, _) => Task.CompletedTask));

    [Fact]
    public async Task RunAsync_FaultProven_PassesAndReverts()
    {
        var result = await CreateSut().RunAsync(Scenario().WithSeed(3).Build());

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Empty(result.Reasons);
        Assert.Equal(3, result.Seed);
        Assert.Equal(["start", "inject latency-1-1 on payments-1,payments-2", "revert latency-1-1"], _target.Log);
        var fault = Assert.Single(result.Faults);
        Assert.True(fault.TookEffect);
        Assert.Equal(["payments-1", "payments-2"], fault.Instances);
        Assert.Contains(result.Timeline, e => e.Name == ChaosEventNames.FaultInjected);
        Assert.Contains(result.Timeline, e => e.Name == ChaosEventNames.FaultReverted);
    }

    [Fact]
    public async Task RunAsync_Baseline_RunsWorkloadAndProbesWithoutInjecting()
    {
        var checks = 0;
        var ran = false;
        var scenario = new ChaosScenarioBuilder("baseline")
            .AddPredicateProbe("steady", (_, _) => ValueTask.FromResult(++checks > 0), ProbePhases.Before | ProbePhases.After)
            .WithWorkload((_, _) =>
            {
                ran = true;
                return Task.CompletedTask;
            })
            .Build();

        var result = await CreateSut().RunAsync(scenario);

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.True(ran);
        Assert.Equal(2, checks);
        Assert.Empty(result.Faults);
        Assert.Equal(["start"], _target.Log);
    }

    [Fact]
    public async Task RunAsync_WorkloadWaitsForFaults_ContinuesOnlyOnceTheFaultIsInForce()
    {
        var injectGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _target.InjectGate = injectGate.Task;
        var seen = new List<string>();
        var scenario = Scenario(async (context, ct) =>
        {
            var waiting = context.WaitForFaultsAsync(ct);
            seen.Add($"before the helper started: completed={waiting.IsCompleted}, in force={_target.InForce}");
            injectGate.SetResult();
            await waiting;
            seen.Add($"after: in force={_target.InForce}");
        }).Build();

        var result = await CreateSut().RunAsync(scenario);

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(["before the helper started: completed=False, in force=0", "after: in force=1"], seen);
    }

    [Fact]
    public async Task RunAsync_BaselineWorkloadWaitsForFaults_CompletesAtOnce()
    {
        var completed = false;
        var scenario = new ChaosScenarioBuilder("baseline")
            .WithWorkload((context, ct) =>
            {
                completed = context.WaitForFaultsAsync(ct).IsCompleted;
                return Task.CompletedTask;
            })
            .Build();

        await CreateSut().RunAsync(scenario);

        Assert.True(completed);
    }

    /// <summary>
    /// A During probe still in flight when the workload ends finishes instead of being cancelled: with an HTTP probe,
    /// the cancelled request was counted as a failed one (the sample's report test met it under 800 ms of latency).
    /// </summary>
    [Fact]
    public async Task RunAsync_DuringProbeInFlightWhenTheWorkloadEnds_FinishesAndCounts()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        var scenario = Scenario(async (context, ct) =>
            {
                await context.WaitForFaultsAsync(ct);
                await started.Task.WaitAsync(ct);
            })
            .WithProbeInterval(TimeSpan.FromMilliseconds(10))
            .AddPredicateProbe(
                "slow",
                async (_, ct) =>
                {
                    started.TrySetResult();
                    await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
                    finished = true;
                    return true;
                },
                ProbePhases.During)
            .Build();

        var result = await new ChaosRunner(_target).RunAsync(scenario);

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.True(finished, "the probe in flight was cancelled when the workload ended");
        Assert.Contains(result.Probes, p => p.Name == "slow" && p.Phase == ProbePhases.During && p.Passed);
    }

    [Fact]
    public async Task RunAsync_FaultNotProven_InconclusiveWithMessage()
    {
        _target.ProofTookEffect = false;

        var result = await CreateSut().RunAsync(Scenario().Build());

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Equal(["Fault 'latency' did not take effect: no traffic crossed the edge"], result.Reasons);
        Assert.Equal(0, _target.InForce);
    }

    [Fact]
    public async Task RunAsync_SelectorMatchesNothing_ThrowsWithExistingLabels()
    {
        var scenario = new ChaosScenarioBuilder("s")
            .AddPodKill(new PodKillOptions { Selector = "app=paymnets" })
            .WithWorkload((_, _) => Task.CompletedTask)
            .Build();

        var ex = await Assert.ThrowsAsync<NoMatchingInstancesException>(() => CreateSut().RunAsync(scenario));

        Assert.Equal("app=paymnets", ex.Selector);
        Assert.Equal(["app=checkout,killswitch.dev/service=checkout", "app=payments,killswitch.dev/service=payments"], ex.ExistingLabels);
        Assert.Contains("app=paymnets", ex.Message, StringComparison.Ordinal);
        Assert.Contains("app=payments,killswitch.dev/service=payments", ex.Message, StringComparison.Ordinal);
        Assert.Equal(("s", "pod-kill", "fake"), (ex.Scenario, ex.Fault, ex.Target));
        Assert.Empty(_target.Injections);
    }

    [Fact]
    public async Task RunAsync_UnsupportedFault_ThrowsBeforeStarting()
    {
        var scenario = new ChaosScenarioBuilder("s")
            .AddBandwidth(new BandwidthOptions { Selector = "app=payments", BytesPerSecond = 10 })
            .WithWorkload((_, _) => Task.CompletedTask)
            .Build();

        var ex = await Assert.ThrowsAsync<ChaosTargetException>(() => CreateSut().RunAsync(scenario));

        Assert.Contains("no bandwidth here", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_target.Log);
    }

    [Fact]
    public async Task RunAsync_SteadyStateFailsBefore_InconclusiveAndNothingInjected()
    {
        var scenario = Scenario().AddPredicateProbe("healthy", (_, _) => ValueTask.FromResult(false), ProbePhases.Before).Build();

        var result = await CreateSut().RunAsync(scenario);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("Steady state did not hold before injection", Assert.Single(result.Reasons), StringComparison.Ordinal);
        Assert.Empty(_target.Injections);
    }

    [Fact]
    public async Task RunAsync_ProbeFailsAfterRecoveryTimeout_Fails()
    {
        var scenario = Scenario()
            .AddPredicateProbe("healthy", (_, _) => ValueTask.FromResult(false), ProbePhases.After)
            .WithRecoveryTimeout(TimeSpan.FromSeconds(1))
            .WithProbeInterval(TimeSpan.FromMilliseconds(500))
            .Build();

        var run = CreateSut().RunAsync(scenario);
        while (!run.IsCompleted)
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }

        var result = await run;
        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.StartsWith("Probe 'healthy' did not hold again within RecoveryTimeout (1 s)", Assert.Single(result.Reasons), StringComparison.Ordinal);
        Assert.True(result.Probes.Count(p => p.Phase == ProbePhases.After) >= 2, "After probes are polled, not checked once");
    }

    [Fact]
    public async Task RunAsync_ProbeRecovers_RecoveryTimeMeasuredFromRevert()
    {
        var checks = 0;
        var scenario = Scenario()
            .AddPredicateProbe("healthy", (_, _) => ValueTask.FromResult(++checks >= 3), ProbePhases.After)
            .WithProbeInterval(TimeSpan.FromMilliseconds(100))
            .Build();

        var run = CreateSut().RunAsync(scenario);
        while (!run.IsCompleted)
        {
            await Task.Delay(1);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var result = await run;
        Assert.Equal(Verdict.Pass, result.Verdict);
        // The third check comes two probe intervals after the revert at the earliest (the test's clock may run ahead of
        // the runner between checks, never behind it).
        Assert.NotNull(result.RecoveryTime);
        Assert.True(result.RecoveryTime >= TimeSpan.FromMilliseconds(200), $"recovery {result.RecoveryTime} should span two probe intervals");
        Assert.Equal(3, result.Probes.Count(p => p.Phase == ProbePhases.After));
    }

    [Fact]
    public async Task RunAsync_WorkloadThrows_FailsAndReverts()
    {
        var result = await CreateSut().RunAsync(Scenario((_, _) => throw new InvalidOperationException("boom")).Build());

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(["The workload threw InvalidOperationException: boom"], result.Reasons);
        Assert.Equal(0, _target.InForce);
    }

    [Fact]
    public async Task RunAsync_Cancelled_RevertsThenThrows()
    {
        using var cts = new CancellationTokenSource();
        var scenario = Scenario(async (_, ct) =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }).Build();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateSut().RunAsync(scenario, cts.Token));

        Assert.Equal(0, _target.InForce);
        Assert.Contains("revert latency-1-1", _target.Log);
    }

    [Fact]
    public async Task RunAsync_SameSeed_SameVictims()
    {
        ChaosScenario Build() => new ChaosScenarioBuilder("s")
            .AddPodKill(new PodKillOptions { Selector = "app=payments", Mode = SelectionMode.One })
            .WithWorkload((_, _) => Task.CompletedTask)
            .WithSeed(12345)
            .Build();

        var first = await CreateSut().RunAsync(Build());
        var second = await CreateSut().RunAsync(Build());
        var victims = Enumerable.Range(0, 16).Select(seed => SelectionMode.One.Select([1, 2], new Random(seed))[0]).Distinct().Count();

        Assert.Equal(first.Faults[0].Instances, second.Faults[0].Instances);
        Assert.Equal(2, victims);
    }

    [Fact]
    public async Task RunAsync_PodKillSerial_OneInjectionPerVictim()
    {
        var scenario = new ChaosScenarioBuilder("s")
            .AddPodKill(new PodKillOptions { Selector = "app=payments", Mode = SelectionMode.All, Sequence = PodKillSequence.Serial })
            .WithWorkload((_, _) => Task.CompletedTask)
            .Build();

        var result = await CreateSut().RunAsync(scenario);

        Assert.Equal(["start", "inject pod-kill-1-1 on payments-1", "revert pod-kill-1-1", "inject pod-kill-1-2 on payments-2", "revert pod-kill-1-2"], _target.Log);
        Assert.Equal(2, result.Faults[0].Injections);
        Assert.Equal(TimeSpan.FromMilliseconds(7), result.Faults[0].RecoveryTime);
    }

    [Fact]
    public async Task RunAsync_WorkloadEndsBeforeStartAfter_InconclusiveNeverInjected()
    {
        var scenario = new ChaosScenarioBuilder("s")
            .AddLatency(new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromMilliseconds(5), StartAfter = TimeSpan.FromHours(1) })
            .WithWorkload((_, _) => Task.CompletedTask)
            .Build();

        var result = await CreateSut().RunAsync(scenario);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("never injected", Assert.Single(result.Reasons), StringComparison.Ordinal);
        Assert.Empty(_target.Injections);
    }
}
