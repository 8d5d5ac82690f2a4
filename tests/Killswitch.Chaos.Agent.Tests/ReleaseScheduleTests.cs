namespace Killswitch.Chaos.Agent.Tests;

public sealed class ReleaseScheduleTests
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Jitter = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void Schedule_WithJitter_NeverReordersAFlowAndHoldsEachPacketAtLeastLatencyMinusJitter()
    {
        var sut = new ReleaseSchedule(Latency, Jitter, new Random(42));
        var flow = new FlowKey(0x0a000001, 40000, Outbound: true);
        var previous = long.MinValue;

        for (var i = 0; i < 1000; i++)
        {
            var now = i * TimeSpan.TicksPerMillisecond; // one packet per millisecond: jitter would reorder them
            var release = sut.Schedule(flow, now);

            Assert.True(release >= previous, $"packet {i} would leave before packet {i - 1}");
            Assert.True(release - now >= (Latency - Jitter).Ticks, $"packet {i} held {TimeSpan.FromTicks(release - now)}");
            previous = release;
        }

        Assert.Equal(1, sut.Flows);
    }

    [Fact]
    public void Schedule_SparsePackets_HoldsVaryUniformlyWithinTheJitter()
    {
        var sut = new ReleaseSchedule(Latency, Jitter, new Random(42));
        var flow = new FlowKey(0x0a000001, 40000, Outbound: true);

        var holds = Enumerable.Range(0, 200).Select(i => TimeSpan.FromTicks(sut.Schedule(flow, i * TimeSpan.TicksPerSecond) - (i * TimeSpan.TicksPerSecond))).ToArray();

        Assert.All(holds, h => Assert.InRange(h, Latency - Jitter, Latency + Jitter));
        Assert.True(holds.Min() < TimeSpan.FromMilliseconds(160) && holds.Max() > TimeSpan.FromMilliseconds(240), "jitter should spread the holds over ±50 ms");
    }

    [Fact]
    public void Schedule_TwoFlows_AreIndependent()
    {
        var sut = new ReleaseSchedule(Latency, TimeSpan.Zero, new Random(1));
        var slow = new FlowKey(1, 1, Outbound: true);
        var other = new FlowKey(2, 1, Outbound: true);
        var sameRemoteOtherDirection = new FlowKey(1, 1, Outbound: false);

        var first = sut.Schedule(slow, 0);
        var second = sut.Schedule(other, TimeSpan.TicksPerMillisecond);
        var third = sut.Schedule(sameRemoteOtherDirection, 2 * TimeSpan.TicksPerMillisecond);

        Assert.Equal(Latency.Ticks, first);
        Assert.Equal(Latency.Ticks + TimeSpan.TicksPerMillisecond, second);
        Assert.Equal(Latency.Ticks + (2 * TimeSpan.TicksPerMillisecond), third);
        Assert.Equal(3, sut.Flows);
    }

    [Fact]
    public void FlowKey_Ipv4_RemoteEndpointByDirection()
    {
        // IPv4, IHL 5, TCP, 10.0.0.7:51000 -> 10.0.0.2:8080
        byte[] packet =
        [
            0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 7, 10, 0, 0, 2,
            0xc7, 0x38, 0x1f, 0x90, 0, 0, 0, 0,
        ];

        var inbound = FlowKey.Of(packet, outbound: false);
        var outbound = FlowKey.Of(packet, outbound: true);

        Assert.Equal(new FlowKey(0x0a000007, 51000, false), inbound);
        Assert.Equal(new FlowKey(0x0a000002, 8080, true), outbound);
        Assert.Null(FlowKey.Of(packet.AsSpan(0, 22), outbound: false));
        Assert.Null(FlowKey.Of([0x00], outbound: false));
    }

    [Fact]
    public void FirstQueue_StaysInTheAgentsRangeAndDependsOnTheTag()
    {
        var queues = Enumerable.Range(0, 200).Select(i => NfqueueInjection.FirstQueue("latency-1-" + i)).ToArray();

        Assert.All(queues, q => Assert.InRange(q, 32768, 65535));
        Assert.True(queues.Distinct().Count() > 190);
        Assert.Equal(NfqueueInjection.FirstQueue("a"), NfqueueInjection.FirstQueue("a"));
    }
}
