using System.Net.Sockets;
using Killswitch.Chaos.Agent.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Killswitch.Chaos.Agent.Tests;

/// <summary>Blackhole as a partition (the drop mechanism), for real, in a network namespace of the test's own.</summary>
[Trait("Category", "Integration")]
[Collection(NamespaceGroup.Name)]
public sealed class BlackholeDropTests(ITestOutputHelper output)
{
    private const int Port = 8080;
    private const int Neighbour = 8081;

    [NamespaceFact]
    public async Task Blackhole_Auto_DropsTheOpenConnectionAndNewOnes_RevertDeliversWhatWasHeld()
    {
        NamespaceEnvironment.Require();
        using var ns = NetworkNamespace.Create();
        ns.Serve(Port);
        ns.Serve(Neighbour);
        using var kept = LineClient.Connect(ns.Inside, Port);
        kept.RoundTrip();

        using var sut = AgentProcess.Start(ns, "inject", "--tag", "drop-1", "--port", "8080", "--fault", "blackhole", "--stats-interval-ms", "50");
        var ready = sut.WaitFor("ready");
        var rules = ns.AgentRules();
        var answeredDuring = kept.TrySend(TimeSpan.FromMilliseconds(800));
        var connectedDuring = await TryConnectAsync(ns.Inside, TimeSpan.FromMilliseconds(800));
        using (var neighbour = LineClient.Connect(ns.Inside, Neighbour))
        {
            neighbour.RoundTrip();
        }

        await Task.Delay(200); // a stats line with the drops
        sut.Terminate();
        sut.WaitFor("reverted");
        var stats = sut.Lines().Last(l => (string?)l["event"] == "stats");
        var heldReplyArrived = kept.TryReceive(TimeSpan.FromSeconds(10)); // TCP retransmits the request once the rules are gone
        var after = kept.RoundTrip();

        output.WriteLine($"{ready.ToJsonString()}; {stats.ToJsonString()}; rules {rules}; round trip after {after.TotalMilliseconds:0.0} ms");
        Assert.Equal("drop", (string?)ready["mechanism"]);
        Assert.Contains("-A INPUT ! -i lo -p tcp -m tcp --dport 8080", rules, StringComparison.Ordinal);
        Assert.Contains("-A OUTPUT ! -o lo -p tcp -m tcp --sport 8080", rules, StringComparison.Ordinal);
        Assert.False(answeredDuring, "the connection opened before the fault should get no answer while it is in force");
        Assert.False(connectedDuring, "a new connection should hang while the fault is in force");
        Assert.True((long)stats["hits"]! > 0 && (long)stats["bytesSwallowed"]! > 0, stats.ToJsonString());
        Assert.True(heldReplyArrived, "after the revert, the request held by the partition should be answered on the same connection");
        Assert.Equal(string.Empty, ns.AgentRules());
    }

    [Theory]
    [InlineData(new[] { "inject", "--tag", "t", "--port", "80", "--fault", "latency", "--latency-ms", "5", "--mechanism", "drop" }, "--mechanism drop applies to --fault blackhole only; use proxy (or auto) for the others.")]
    [InlineData(new[] { "inject", "--tag", "t", "--port", "80", "--fault", "blackhole", "--close-after-ms", "5", "--mechanism", "drop" }, "--mechanism drop cannot close connections after --close-after-ms (it drops packets, the connections stay); use proxy (or auto).")]
    public void Drop_ForAnotherFaultOrWithCloseAfter_SaysWhatToUse(string[] args, string expected)
    {
        AgentCommand.Parse(args, out var errors);

        Assert.Equal([expected], errors);
    }

    private static async Task<bool> TryConnectAsync(System.Net.IPAddress address, TimeSpan timeout)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(new System.Net.IPEndPoint(address, Port), cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
