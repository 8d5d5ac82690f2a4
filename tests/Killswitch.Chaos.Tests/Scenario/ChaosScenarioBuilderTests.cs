namespace Killswitch.Chaos.Tests.Scenario;

public class ChaosScenarioBuilderTests
{
    [Fact]
    public void Build_EveryProblem_OneExceptionListingAll()
    {
        var sut = new ChaosScenarioBuilder("bad")
            .AddLatency(new LatencyOptions { Selector = "app in payments", Latency = TimeSpan.FromMilliseconds(-5), Mode = SelectionMode.FixedPercent(150) })
            .AddPodKill(new PodKillOptions { Selector = "app=checkout", GracePeriod = TimeSpan.FromSeconds(-1), StartAfter = TimeSpan.FromSeconds(-2) })
            .AddBandwidth(new BandwidthOptions { Selector = "", BytesPerSecond = 0 })
            .AddHttpProbe(new HttpProbeOptions { Name = "", Service = "checkout", Path = "checkout" })
            .WithWorkload((_, _) => Task.CompletedTask);

        var ex = Assert.Throws<ChaosValidationException>(() => sut.Build());

        Assert.Equal("bad", ex.Scenario);
        Assert.Equal(
            [
                "Fault #1 'latency': Selector 'app in payments' does not parse at position 7: expected '(' after 'in'.",
                "Fault #1 'latency': Mode: percentage must be greater than 0 and at most 100 (was 150).",
                "Fault #1 'latency': Latency must be greater than zero (was -5 ms).",
                "Fault #2 'pod-kill': StartAfter must not be negative (was -2000 ms).",
                "Fault #2 'pod-kill': GracePeriod must not be negative (was -1000 ms).",
                "Fault #3 'bandwidth': Selector is required (for example 'app=payments').",
                "Fault #3 'bandwidth': BytesPerSecond must be greater than zero (was 0).",
                "Probe #1 '': Name is required.",
                "Probe #1 '': Path must start with '/' (was 'checkout').",
            ],
            ex.Errors);
        Assert.Contains("9 problems", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoWorkloadAndNoDuration_Rejected()
    {
        var sut = new ChaosScenarioBuilder("s").AddLatency(new LatencyOptions { Selector = "app=x", Latency = TimeSpan.FromMilliseconds(1) });

        var ex = Assert.Throws<ChaosValidationException>(() => sut.Build());

        Assert.Contains(ex.Errors, e => e.Contains("Duration is required when the scenario has no workload", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_NoFaultAndNoWorkload_Rejected()
    {
        var ex = Assert.Throws<ChaosValidationException>(() => new ChaosScenarioBuilder("s").Build());

        Assert.Equal(["A scenario needs at least one fault (AddPodKill, AddLatency, ...), or a workload (WithWorkload) to run as a baseline without faults."], ex.Errors);
    }

    [Fact]
    public void Build_NoFaultWithWorkload_IsABaseline()
    {
        var scenario = new ChaosScenarioBuilder("baseline").WithWorkload((_, _) => Task.CompletedTask).Build();

        Assert.Empty(scenario.Faults);
    }

    [Fact]
    public void Build_DuplicateFaultNames_Rejected()
    {
        var sut = new ChaosScenarioBuilder("s")
            .AddPodKill(new PodKillOptions { Selector = "app=x" })
            .AddPodKill(new PodKillOptions { Selector = "app=y" })
            .WithWorkload((_, _) => Task.CompletedTask);

        var ex = Assert.Throws<ChaosValidationException>(() => sut.Build());

        Assert.Equal(["Fault name 'pod-kill' is used 2 times; set Name so that each fault is told apart in reports."], ex.Errors);
    }

    [Fact]
    public void Build_Valid_FreezesEverything()
    {
        var sut = new ChaosScenarioBuilder("ok")
            .AddLatency(new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromMilliseconds(200), Jitter = TimeSpan.FromMilliseconds(10) })
            .AddPredicateProbe("always", (_, _) => ValueTask.FromResult(true))
            .WithWorkload((_, _) => Task.CompletedTask)
            .WithSeed(7);

        var scenario = sut.Build();
        sut.AddPodKill(new PodKillOptions { Selector = "app=later" });

        Assert.Single(scenario.Faults);
        Assert.Single(scenario.Probes);
        Assert.Equal(7, scenario.Seed);
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        var podKill = new PodKillOptions();
        var latency = new LatencyOptions();
        var reset = new ResetPeerOptions();
        var blackhole = new BlackholeOptions();
        var bandwidth = new BandwidthOptions();
        var probe = new HttpProbeOptions();

        Assert.Equal(("pod-kill", SelectionMode.One, false, TimeSpan.FromSeconds(5), (TimeSpan?)null, PodKillSequence.Parallel, TimeSpan.FromSeconds(60)),
            (podKill.Kind, podKill.Mode, podKill.Force, podKill.GracePeriod, podKill.Interval, podKill.Sequence, podKill.ReplacementTimeout));
        Assert.Equal(("latency", SelectionMode.All, TimeSpan.Zero, TrafficDirection.Downstream, (string?)null),
            (latency.Kind, latency.Mode, latency.Jitter, latency.Direction, latency.From));
        Assert.Equal(("reset-peer", SelectionMode.All, TimeSpan.Zero), (reset.Kind, reset.Mode, reset.ResetAfter));
        Assert.Equal(("blackhole", SelectionMode.All, (TimeSpan?)null), (blackhole.Kind, blackhole.Mode, blackhole.CloseAfter));
        Assert.Equal(("bandwidth", SelectionMode.All, TrafficDirection.Downstream), (bandwidth.Kind, bandwidth.Mode, bandwidth.Direction));
        Assert.Equal((TimeSpan.Zero, (TimeSpan?)null), (latency.StartAfter, latency.Duration));
        Assert.Equal((ProbePhases.All, TimeSpan.FromSeconds(5), "/", 200), (probe.Phases, probe.Timeout, probe.Path, probe.ExpectedStatus));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)), (ScenarioConstants.DefaultRecoveryTimeout, ScenarioConstants.DefaultProbeInterval));
    }
}
