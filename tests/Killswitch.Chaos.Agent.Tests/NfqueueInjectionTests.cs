using System.Globalization;
using Killswitch.Chaos.Agent.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Killswitch.Chaos.Agent.Tests;

/// <summary>
/// The nfqueue mechanism for real: the agent runs in a network namespace of the test's own, a line server listens there
/// on <see cref="Port"/> and on a neighbour port, and clients connect from outside as another container would.
/// </summary>
[Trait("Category", "Integration")]
[Collection(NamespaceGroup.Name)]
public sealed class NfqueueInjectionTests(ITestOutputHelper output)
{
    private const int Port = 8080;
    private const int Neighbour = 8081;
    private static readonly TimeSpan Injected = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(20);

    [NamespaceFact]
    public void Latency_ConnectionOpenedBeforeInject_DelayedByTheLatencyAndBaselineAfterRevert()
    {
        NamespaceEnvironment.Require();
        using var ns = NetworkNamespace.Create();
        ns.Serve(Port);
        ns.Serve(Neighbour);
        using var kept = LineClient.Connect(ns.Inside, Port);
        using var neighbour = LineClient.Connect(ns.Inside, Neighbour);
        var before = kept.Measure(10);
        var neighbourBefore = neighbour.Measure(10);

        using var sut = AgentProcess.Start(ns, "inject", "--tag", "nfq-1", "--port", "8080", "--fault", "latency", "--latency-ms", "200", "--mechanism", "nfqueue", "--stats-interval-ms", "50");
        var ready = sut.WaitFor("ready");
        var rulesDuring = ns.AgentRules();
        var during = kept.Measure(10);
        var neighbourDuring = neighbour.Measure(10);
        var fresh = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            using var client = LineClient.Connect(ns.Inside, Port);
            fresh.Add(client.RoundTrip());
        }

        sut.Terminate();
        sut.WaitFor("reverted");
        var stats = sut.Lines().Last(l => (string?)l["event"] == "stats");
        var after = kept.Measure(10);
        var rulesAfter = ns.AgentRules();

        var figures = string.Create(CultureInfo.InvariantCulture,
            $"kept-alive connection floor {Ms(before.Floor)} -> {Ms(during.Floor)} -> {Ms(after.Floor)} ms (median during {Ms(during.Median)}); " +
            $"new connections' first request {string.Join(", ", fresh.Select(Ms))} ms; neighbour floor {Ms(neighbourBefore.Floor)} -> {Ms(neighbourDuring.Floor)} ms; " +
            $"ready {ready.ToJsonString()}; stats {stats.ToJsonString()}");
        output.WriteLine(figures);
        Assert.Equal("nfqueue", (string?)ready["mechanism"]);
        Assert.Contains("killswitch:nfq-1", rulesDuring, StringComparison.Ordinal);
        Assert.Contains("NFQUEUE --queue-num " + (int)ready["queue"]!, rulesDuring, StringComparison.Ordinal);
        Assert.InRange(during.Floor - before.Floor, Injected - Tolerance, Injected + Tolerance);
        Assert.True(during.Median - before.Floor >= Injected - Tolerance, "the median request should be delayed too: " + figures);
        Assert.InRange(fresh.Min(), Injected - Tolerance, Injected + Tolerance); // the handshake is not delayed: ~L, not 2L
        Assert.True(neighbourDuring.Floor - neighbourBefore.Floor < Tolerance, "the neighbour port should be untouched: " + figures);
        Assert.True(after.Floor - before.Floor < Tolerance, "revert should restore the baseline: " + figures);
        Assert.True((long)stats["hits"]! >= 15, figures);
        Assert.True((double)stats["minHeldMs"]! >= Injected.TotalMilliseconds, figures);
        Assert.Equal(string.Empty, rulesAfter);
    }

    [NamespaceFact]
    public void Latency_Upstream_DelaysRequestsWithJitterWithinBounds()
    {
        NamespaceEnvironment.Require();
        using var ns = NetworkNamespace.Create();
        ns.Serve(Port);
        using var kept = LineClient.Connect(ns.Inside, Port);
        var before = kept.Measure(5);

        using var sut = AgentProcess.Start(ns, "inject", "--tag", "nfq-2", "--port", "8080", "--fault", "latency", "--latency-ms", "200", "--jitter-ms", "50", "--direction", "upstream", "--seed", "3", "--mechanism", "nfqueue");
        sut.WaitFor("ready");
        var rules = ns.AgentRules();
        var samples = Enumerable.Range(0, 15).Select(_ => kept.RoundTrip() - before.Floor).ToArray();
        sut.Terminate();
        sut.WaitFor("reverted");

        var figures = "added " + string.Join(", ", samples.Select(Ms)) + " ms; rules " + rules;
        output.WriteLine(figures);
        Assert.Contains("-A INPUT ! -i lo -p tcp -m tcp --dport 8080", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("-A OUTPUT", rules, StringComparison.Ordinal);
        // Never less than latency - jitter; more only by the machine's scheduling noise, so the upper bound is checked on
        // the median (a loaded 2-core machine stalls a single request by 50 ms and more now and then).
        Assert.All(samples, s => Assert.True(s >= TimeSpan.FromMilliseconds(150 - 5), figures));
        Assert.InRange(samples.Order().ElementAt(samples.Length / 2), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(250 + 20));
        Assert.True(samples.Max() - samples.Min() > TimeSpan.FromMilliseconds(20), "jitter should vary the delay: " + figures);
    }

    [NamespaceFact]
    public void SigkillMidFault_TrafficFlowsThroughTheBypassAndSweepRemovesTheRules()
    {
        NamespaceEnvironment.Require();
        using var ns = NetworkNamespace.Create();
        ns.Serve(Port);
        using var sut = AgentProcess.Start(ns, "inject", "--tag", "nfq-3", "--port", "8080", "--fault", "latency", "--latency-ms", "200", "--mechanism", "nfqueue");
        sut.WaitFor("ready");
        using (var client = LineClient.Connect(ns.Inside, Port))
        {
            Assert.True(client.RoundTrip() >= Injected - Tolerance);
        }

        sut.KillHard();
        var rulesLeft = ns.AgentRules();
        using var after = LineClient.Connect(ns.Inside, Port);
        var floor = after.Measure(5).Floor;
        var swept = AgentProcess.Run(ns, "sweep", "--tag", "nfq-3");
        var rulesAfterSweep = ns.AgentRules();

        output.WriteLine($"left behind: {rulesLeft}; floor after SIGKILL {Ms(floor)} ms; {swept.ToJsonString()}");
        Assert.Contains("killswitch:nfq-3", rulesLeft, StringComparison.Ordinal);
        Assert.True(floor < Tolerance, $"with the agent gone, --queue-bypass lets packets through undelayed (floor {Ms(floor)} ms)");
        Assert.Equal("swept", (string?)swept["event"]);
        Assert.Equal(1, (int)swept["rules"]!);
        Assert.Equal(string.Empty, rulesAfterSweep);
    }

    [NamespaceFact]
    public void TwoAgentsInOneNamespace_WhoseTagsStartAtTheSameQueue_BindDifferentQueues()
    {
        NamespaceEnvironment.Require();
        var (first, second) = TagsSharingAQueue();
        using var ns = NetworkNamespace.Create();
        ns.Serve(Port);
        ns.Serve(Neighbour);

        using var a = AgentProcess.Start(ns, "inject", "--tag", first, "--port", "8080", "--fault", "latency", "--latency-ms", "200", "--mechanism", "nfqueue");
        var readyA = a.WaitFor("ready");
        using var b = AgentProcess.Start(ns, "inject", "--tag", second, "--port", "8081", "--fault", "latency", "--latency-ms", "100", "--mechanism", "nfqueue");
        var readyB = b.WaitFor("ready");
        using var toA = LineClient.Connect(ns.Inside, Port);
        using var toB = LineClient.Connect(ns.Inside, Neighbour);
        var floorA = toA.Measure(5).Floor;
        var floorB = toB.Measure(5).Floor;
        a.Terminate();
        b.Terminate();
        a.WaitFor("reverted");
        b.WaitFor("reverted");

        output.WriteLine($"{readyA.ToJsonString()} {readyB.ToJsonString()}; floors {Ms(floorA)} / {Ms(floorB)} ms");
        Assert.Equal(NfqueueInjection.FirstQueue(first), (int)readyA["queue"]!);
        Assert.NotEqual((int)readyA["queue"]!, (int)readyB["queue"]!);
        Assert.InRange(floorA, Injected - Tolerance, Injected + Tolerance);
        Assert.InRange(floorB, TimeSpan.FromMilliseconds(100) - Tolerance, TimeSpan.FromMilliseconds(100) + Tolerance);
        Assert.Equal(string.Empty, ns.AgentRules());
    }

    [NamespaceFact]
    public void Probe_ReportsNfqueueAndLeavesNoRule()
    {
        NamespaceEnvironment.Require();
        using var ns = NetworkNamespace.Create();

        var sut = AgentProcess.Run(ns, "probe");

        output.WriteLine(sut.ToJsonString());
        Assert.True((bool)sut["nfqueue"]!, sut.ToJsonString());
        Assert.Equal(string.Empty, ns.AgentRules());
    }

    private static (string First, string Second) TagsSharingAQueue()
    {
        var seen = new Dictionary<ushort, string>();
        for (var i = 0; ; i++)
        {
            var tag = "q-" + i.ToString(CultureInfo.InvariantCulture);
            if (seen.TryGetValue(NfqueueInjection.FirstQueue(tag), out var other))
            {
                return (other, tag);
            }

            seen[NfqueueInjection.FirstQueue(tag)] = tag;
        }
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>The namespace tests run one at a time: their latency figures would skew each other on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class NamespaceGroup
{
    public const string Name = "network namespaces";
}
