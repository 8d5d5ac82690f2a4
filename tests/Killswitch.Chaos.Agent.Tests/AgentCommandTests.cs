using System.Net;

namespace Killswitch.Chaos.Agent.Tests;

public sealed class AgentCommandTests
{
    [Fact]
    public void Parse_Latency_AllOptions()
    {
        var sut = AgentCommand.Parse(
            ["inject", "--tag", "latency-1-1-payments-1", "--port", "8080", "--fault", "latency", "--latency-ms", "200", "--jitter-ms", "10",
             "--direction", "both", "--from", "10.0.0.3,10.0.0.4", "--existing", "reset", "--mechanism", "proxy", "--listen-port", "15001", "--backend", "127.0.0.1:9090",
             "--seed", "42", "--stats-interval-ms", "50", "--owner-pid", "1234"],
            out var errors);

        Assert.Empty(errors);
        Assert.Equal(("inject", "latency-1-1-payments-1", 8080), (sut.Verb, sut.Tag, sut.Port));
        var latency = Assert.IsType<LatencyOptions>(sut.Fault);
        Assert.Equal((TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(10), TrafficDirection.Both), (latency.Latency, latency.Jitter, latency.Direction));
        Assert.Equal(["10.0.0.3", "10.0.0.4"], sut.From);
        Assert.Equal(Mechanism.Proxy, sut.Mechanism);
        Assert.True(sut.ResetExisting);
        Assert.Equal(15001, sut.ListenPort);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9090), sut.Backend);
        Assert.Equal((42, TimeSpan.FromMilliseconds(50), 1234), (sut.Seed, sut.StatsInterval, sut.OwnerPid));
    }

    [Fact]
    public void Parse_Defaults_ArePinned()
    {
        var sut = AgentCommand.Parse(["inject", "--tag", "t", "--port", "80", "--fault", "blackhole"], out var errors);

        Assert.Empty(errors);
        Assert.Equal(Mechanism.Auto, sut.Mechanism);
        Assert.False(sut.ResetExisting);
        Assert.Equal("eth0", sut.Interface);
        Assert.Equal(TimeSpan.FromMilliseconds(200), sut.StatsInterval);
        Assert.Equal(0, sut.ListenPort);
        Assert.Null(sut.Backend);
        Assert.Null(sut.OwnerPid);
        Assert.Empty(sut.From);
        Assert.Null(Assert.IsType<BlackholeOptions>(sut.Fault).CloseAfter);
    }

    [Theory]
    [InlineData("bandwidth", "--bytes-per-second", "1000", typeof(BandwidthOptions))]
    [InlineData("reset-peer", "--reset-after-ms", "5", typeof(ResetPeerOptions))]
    [InlineData("blackhole", "--close-after-ms", "100", typeof(BlackholeOptions))]
    public void Parse_EachFault_BuildsItsOptions(string fault, string option, string value, Type expected)
    {
        var sut = AgentCommand.Parse(["inject", "--tag", "t", "--port", "80", "--fault", fault, option, value], out var errors);

        Assert.Empty(errors);
        Assert.IsType(expected, sut.Fault);
    }

    [Fact]
    public void Parse_EverythingWrong_ListsEveryProblemWithTheOptionThatFixesIt()
    {
        AgentCommand.Parse(["inject", "--port", "70000", "--fault", "latency", "--jitter-ms", "-1", "--direction", "sideways", "--from", "nowhere", "--mechanism", "tc", "--bogus", "1"], out var errors);

        Assert.Equal(
            [
                "--tag is required: it names the iptables rules so a later sweep can find them.",
                "--port is required: the target's TCP port (1-65535) whose inbound connections get the fault.",
                "--latency-ms is required for --fault latency.",
                "--jitter-ms must be an integer >= 0 (was '-1').",
                "--direction must be downstream, upstream or both (was 'sideways').",
                "--from: 'nowhere' is not an IP address.",
                "--mechanism must be auto, proxy, netem, nfqueue or drop (was 'tc').",
                "Option --bogus is unknown for 'inject'.",
            ],
            errors);
    }

    [Fact]
    public void Parse_NetemForOtherFaultsOrEdges_Rejected()
    {
        AgentCommand.Parse(["inject", "--tag", "t", "--port", "80", "--fault", "blackhole", "--mechanism", "netem", "--from", "10.0.0.1"], out var errors);

        Assert.Contains("--mechanism netem applies to --fault latency only; use proxy (or auto) for the others.", errors);
        Assert.Contains("--mechanism netem cannot limit the fault to --from addresses; use proxy (or auto).", errors);
    }

    [Fact]
    public void Parse_Nfqueue_ForLatencyWithFromAndUpstream()
    {
        var sut = AgentCommand.Parse(["inject", "--tag", "t", "--port", "80", "--fault", "latency", "--latency-ms", "200", "--direction", "upstream", "--from", "10.0.0.3", "--mechanism", "nfqueue"], out var errors);

        Assert.Empty(errors);
        Assert.Equal(Mechanism.Nfqueue, sut.Mechanism);
    }

    [Fact]
    public void Parse_NfqueueForOtherFaults_Rejected()
    {
        AgentCommand.Parse(["inject", "--tag", "t", "--port", "80", "--fault", "bandwidth", "--bytes-per-second", "10", "--mechanism", "NFQUEUE"], out var errors);

        Assert.Equal(["--mechanism nfqueue applies to --fault latency only; use proxy (or auto) for the others."], errors);
    }

    [Theory]
    [InlineData(new string[0], "No verb given.")]
    [InlineData(new[] { "delay" }, "Unknown verb 'delay'.")]
    [InlineData(new[] { "sweep", "--tag", "a b" }, "--tag may hold letters, digits, '-', '_' and '.' only (was 'a b').")]
    public void Parse_BadVerbOrTag_Explained(string[] args, string expected)
    {
        AgentCommand.Parse(args, out var errors);

        Assert.Contains(expected, errors);
    }
}
