namespace Killswitch.Chaos.Kubernetes.Tests.Network;

public sealed class HelperPodTests
{
    [Fact]
    public void NameFor_LongPodName_IsAValidPodNameAndStable()
    {
        var pod = "payments-7d9f8c6b5d-" + new string('x', 60);

        var sut = HelperPod.NameFor("latency-1-1", pod);

        Assert.True(sut.Length <= 63, sut);
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", sut);
        Assert.Equal(sut, HelperPod.NameFor("latency-1-1", pod));
        Assert.NotEqual(sut, HelperPod.NameFor("latency-1-2", pod));
    }

    [Fact]
    public void NameFor_SameFaultIdInAnotherAttempt_IsAnotherName()
    {
        // The next test case's latency-1-1 must not collide with the previous case's helper, still being deleted.
        var first = HelperPod.NameFor("latency-1-1", "payments-7d9f8c6b5d-9qsrs", "a1b2c3d4");
        var second = HelperPod.NameFor("latency-1-1", "payments-7d9f8c6b5d-9qsrs", "e5f6a7b8");

        Assert.NotEqual(first, second);
        Assert.StartsWith("ks-latency-1-1-payments-7d9f8c6b5d-9qsrs-", second, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentArguments_Latency_MapsEveryOption()
    {
        var fault = new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromMilliseconds(250), Jitter = TimeSpan.FromMilliseconds(20), Direction = TrafficDirection.Both };

        var sut = NetworkFaultHandle.AgentArguments("latency-1-1", fault, 8080, ["172.17.0.5", "172.17.0.6"], new Random(1));

        Assert.Equal(
            ["killswitch-agent", "inject", "--tag", "latency-1-1", "--port", "8080", "--fault", "latency", "--latency-ms", "250", "--jitter-ms", "20", "--direction", "both", "--from", "172.17.0.5,172.17.0.6", "--seed", new Random(1).Next().ToString(System.Globalization.CultureInfo.InvariantCulture)],
            sut);
    }

    [Fact]
    public void AgentArguments_BlackholeAndBandwidth_MapTheirOptions()
    {
        var blackhole = NetworkFaultHandle.AgentArguments("b", new BlackholeOptions { CloseAfter = TimeSpan.FromSeconds(2) }, 80, [], new Random(1));
        var bandwidth = NetworkFaultHandle.AgentArguments("w", new BandwidthOptions { BytesPerSecond = 1024 }, 80, [], new Random(1));

        Assert.Equal(["--fault", "blackhole", "--close-after-ms", "2000"], blackhole.Skip(6).Take(4));
        Assert.Equal(["--fault", "bandwidth", "--bytes-per-second", "1024", "--direction", "downstream"], bandwidth.Skip(6).Take(6));
    }
}
