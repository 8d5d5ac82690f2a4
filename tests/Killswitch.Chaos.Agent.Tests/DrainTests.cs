using System.Diagnostics;
using System.Net.Sockets;
using Killswitch.Chaos.Agent.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Killswitch.Chaos.Agent.Tests;

/// <summary>
/// <c>drain</c> for real, in a network namespace of the test's own: what the Docker target runs before a graceful
/// PodKill's SIGTERM, so callers stop opening connections to a replica that is about to stop.
/// </summary>
[Trait("Category", "Integration")]
[Collection(NamespaceGroup.Name)]
public sealed class DrainTests(ITestOutputHelper output)
{
    private const int Port = 8080;
    private const int Neighbour = 8081;

    [NamespaceFact]
    public void Drain_RefusesNewConnectionsAtOnce_KeepsEstablishedOnes_SweepRemovesTheRule()
    {
        NamespaceEnvironment.Require();
        using var ns = NetworkNamespace.Create();
        ns.Serve(Port);
        ns.Serve(Neighbour);
        using var established = LineClient.Connect(ns.Inside, Port);
        established.RoundTrip();

        var drained = AgentProcess.Run(ns, "drain", "--tag", "drain-1", "--port", "8080");
        var rules = ns.AgentRules();
        var started = Stopwatch.GetTimestamp();
        var refused = Assert.Throws<SocketException>(() => LineClient.Connect(ns.Inside, Port));
        var refusedAfter = Stopwatch.GetElapsedTime(started);
        var stillServes = established.RoundTrip();
        using (var neighbour = LineClient.Connect(ns.Inside, Neighbour))
        {
            neighbour.RoundTrip();
        }

        var swept = AgentProcess.Run(ns, "sweep", "--tag", "drain-1");
        using var afterSweep = LineClient.Connect(ns.Inside, Port);
        afterSweep.RoundTrip();

        output.WriteLine($"{drained.ToJsonString()}; rules {rules}; refused ({refused.SocketErrorCode}) after {refusedAfter.TotalMilliseconds:0.0} ms; established round trip {stillServes.TotalMilliseconds:0.0} ms; {swept.ToJsonString()}");
        Assert.Equal("draining", (string?)drained["event"]);
        Assert.Contains("--dport 8080", rules, StringComparison.Ordinal);
        Assert.Contains("killswitch:drain-1", rules, StringComparison.Ordinal);
        Assert.Contains("REJECT --reject-with tcp-reset", rules, StringComparison.Ordinal);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode); // refused, not left to time out
        Assert.Equal(1, (int)swept["rules"]!);
        Assert.Equal(string.Empty, ns.AgentRules());
    }

    /// <summary>
    /// The caller's side (<c>--to</c>): the namespace stands in for a caller container, the test's end of the veth for the
    /// drained replica. Its new connects to the replica are refused at once, the established one goes on, and they are
    /// still refused after the replica's address has vanished (a stopped container whose DNS entry lingers): without
    /// the rule such a connect hangs. The sweep lifts it.
    /// </summary>
    [NamespaceFact]
    public void DrainTo_RefusesTheCallersNewConnects_EvenAfterTheAddressVanished_SweepLiftsIt()
    {
        NamespaceEnvironment.Require();
        using var ns = NetworkNamespace.Create();
        ns.ServeOutside(Port);
        using var established = ns.ConnectFromInside(ns.Outside, Port, TimeSpan.FromSeconds(5));
        established.RoundTrip();

        var drained = AgentProcess.Run(ns, "drain", "--tag", "fence-1", "--port", "8080", "--to", ns.Outside.ToString());
        var rules = ns.AgentRules();
        var refused = Assert.Throws<SocketException>(() => ns.ConnectFromInside(ns.Outside, Port, TimeSpan.FromSeconds(2)));
        var stillServes = established.RoundTrip();

        NetworkNamespace.Run("ip", "addr", "del", ns.Outside + "/30", "dev", ns.HostLink);
        var started = Stopwatch.GetTimestamp();
        var refusedWhenGone = Assert.Throws<SocketException>(() => ns.ConnectFromInside(ns.Outside, Port, TimeSpan.FromSeconds(2)));
        var refusedWhenGoneAfter = Stopwatch.GetElapsedTime(started);
        var swept = AgentProcess.Run(ns, "sweep", "--tag", "fence-1");
        var hangsWithoutTheRule = Assert.Throws<SocketException>(() => ns.ConnectFromInside(ns.Outside, Port, TimeSpan.FromSeconds(1)));

        NetworkNamespace.Run("ip", "addr", "add", ns.Outside + "/30", "dev", ns.HostLink);
        using var afterSweep = ns.ConnectFromInside(ns.Outside, Port, TimeSpan.FromSeconds(5));
        afterSweep.RoundTrip();

        output.WriteLine($"{drained.ToJsonString()}; rules {rules}; refused ({refused.SocketErrorCode}); established round trip {stillServes.TotalMilliseconds:0.0} ms; address gone: refused ({refusedWhenGone.SocketErrorCode}) after {refusedWhenGoneAfter.TotalMilliseconds:0.0} ms; {swept.ToJsonString()}; then {hangsWithoutTheRule.SocketErrorCode}");
        Assert.Equal("draining", (string?)drained["event"]);
        Assert.Contains("-A OUTPUT -d " + ns.Outside + "/32 -p tcp -m tcp --dport 8080", rules, StringComparison.Ordinal);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(SocketError.ConnectionRefused, refusedWhenGone.SocketErrorCode);
        Assert.NotEqual(SocketError.ConnectionRefused, hangsWithoutTheRule.SocketErrorCode); // what the rule spares callers
        Assert.Equal(1, (int)swept["rules"]!);
        Assert.Equal(string.Empty, ns.AgentRules());
    }

    [Fact]
    public void DrainTo_NotAnAddress_SaysSo()
    {
        AgentCommand.Parse(["drain", "--tag", "t", "--port", "80", "--to", "10.0.0.1,payments"], out var errors);

        Assert.Equal(["--to: 'payments' is not an IP address."], errors);
    }

    [Fact]
    public void Drain_WithoutTagOrPort_ListsBothProblems()
    {
        var command = AgentCommand.Parse(["drain"], out var errors);

        Assert.Equal("drain", command.Verb);
        Assert.Equal(
            [
                "--tag is required: it names the iptables rules so a later sweep can find them.",
                "--port is required: the target's TCP port (1-65535) that should refuse new connections.",
            ],
            errors);
    }
}
