using Killswitch.Chaos;

namespace Killswitch.Xunit.Tests.Cases;

public class FaultSpecTests
{
    [Fact]
    public void PodKill_EveryOption_MapsToPodKillOptions()
    {
        var sut = new PodKillAttribute("app=payments")
        {
            Mode = ChaosMode.Fixed,
            ModeValue = 2,
            Force = true,
            GracePeriodMilliseconds = 250,
            IntervalMilliseconds = 1000,
            Serial = true,
            ReplacementTimeoutMilliseconds = 9000,
            StartAfterMilliseconds = 100,
            DurationMilliseconds = 3000,
        }.ToSpec();

        var options = Assert.IsType<PodKillOptions>(sut.ToOptions());

        Assert.Equal("PodKill app=payments", options.Name);
        Assert.Equal("app=payments", options.Selector);
        Assert.Equal(SelectionMode.Fixed(2), options.Mode);
        Assert.True(options.Force);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Interval);
        Assert.Equal(PodKillSequence.Serial, options.Sequence);
        Assert.Equal(TimeSpan.FromSeconds(9), options.ReplacementTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.StartAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Duration);
    }

    [Fact]
    public void Defaults_AreTheChaosEngineDefaults()
    {
        var podKill = Assert.IsType<PodKillOptions>(new PodKillAttribute("app=x").ToSpec().ToOptions());
        var latency = Assert.IsType<LatencyOptions>(new LatencyAttribute("app=x") { Milliseconds = 10 }.ToSpec().ToOptions());
        var bandwidth = Assert.IsType<BandwidthOptions>(new BandwidthAttribute("app=x") { BytesPerSecond = 10 }.ToSpec().ToOptions());

        Assert.Equal(PodKillConstants.DefaultMode, podKill.Mode);
        Assert.Equal(PodKillConstants.DefaultGracePeriod, podKill.GracePeriod);
        Assert.Equal(PodKillConstants.DefaultReplacementTimeout, podKill.ReplacementTimeout);
        Assert.False(podKill.Force);
        Assert.Null(podKill.Interval);
        Assert.Null(podKill.Duration);
        Assert.Equal(TimeSpan.Zero, podKill.StartAfter);
        Assert.Equal(LatencyConstants.DefaultMode, latency.Mode);
        Assert.Equal(LatencyConstants.DefaultDirection, latency.Direction);
        Assert.Equal(TimeSpan.Zero, latency.Jitter);
        Assert.Null(latency.From);
        Assert.Equal(BandwidthConstants.DefaultDirection, bandwidth.Direction);
        Assert.True(new ChaosFactAttribute().Baseline);
        Assert.False(new ChaosFactAttribute().Combine);
        Assert.Equal(Flags.Matrix.VariantMatrixStrategy.Cartesian, new ChaosFactAttribute().Matrix);
    }

    [Fact]
    public void NetworkFaults_MapEveryOption()
    {
        var latency = Assert.IsType<LatencyOptions>(new LatencyAttribute("app=p") { Milliseconds = 300, Jitter = 50, From = "checkout", Direction = TrafficDirection.Upstream, Mode = ChaosMode.FixedPercent, ModeValue = 50 }.ToSpec().ToOptions());
        var reset = Assert.IsType<ResetPeerOptions>(new ResetPeerAttribute("app=p") { ResetAfterMilliseconds = 20 }.ToSpec().ToOptions());
        var blackhole = Assert.IsType<BlackholeOptions>(new BlackholeAttribute("app=p") { CloseAfterMilliseconds = 500 }.ToSpec().ToOptions());
        var bandwidth = Assert.IsType<BandwidthOptions>(new BandwidthAttribute("app=p") { BytesPerSecond = 2048, Direction = TrafficDirection.Both, Mode = ChaosMode.RandomMaxPercent, ModeValue = 30 }.ToSpec().ToOptions());

        Assert.Equal((TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50), "checkout", TrafficDirection.Upstream), (latency.Latency, latency.Jitter, latency.From, latency.Direction));
        Assert.Equal(SelectionMode.FixedPercent(50), latency.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(20), reset.ResetAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(500), blackhole.CloseAfter);
        Assert.Equal((2048L, TrafficDirection.Both), (bandwidth.BytesPerSecond, bandwidth.Direction));
        Assert.Equal(SelectionMode.RandomMaxPercent(30), bandwidth.Mode);
    }

    [Fact]
    public void ToOptions_UnknownKindOrBadSetting_ValidationExceptionListingEach()
    {
        var unknown = new FaultSpec("PodDelete", "app=x", null, new Dictionary<string, string>());
        var bad = new FaultSpec("Latency", "app=x", null, new Dictionary<string, string> { ["LatencyMs"] = "fast", ["Direction"] = "Sideways" });

        var ex1 = Assert.Throws<ChaosValidationException>(unknown.ToOptions);
        var ex2 = Assert.Throws<ChaosValidationException>(bad.ToOptions);

        Assert.Equal(["Kind 'PodDelete' is not PodKill, Latency, ResetPeer, Blackhole or Bandwidth."], ex1.Errors);
        Assert.Equal(["LatencyMs must be a whole number (was 'fast').", "Direction 'Sideways' is not one of Downstream, Upstream, Both."], ex2.Errors);
    }
}
