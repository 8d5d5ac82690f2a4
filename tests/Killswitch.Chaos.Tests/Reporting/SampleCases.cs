using Killswitch.Chaos.Reporting;

namespace Killswitch.Chaos.Tests.Reporting;

/// <summary>
/// Report cases built through the engine's own result type (<see cref="ChaosRunResult"/>'s internal constructor), with
/// fixed clocks and arithmetic request streams, so every figure in the report is known in advance.
/// </summary>
internal static class SampleCases
{
    public const string Test = "CheckoutTests.Checkout_completes";
    public const string PodKill = "PodKill app=payments";

    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The shop matrix: new-checkout off/on x baseline/PodKill. Each run sends 40 requests, one every 100 ms, latency
    /// 20 + (i * 7 mod 13) ms. The kill lands at 1.5 s and its replacement is ready at 2.5 s; with new-checkout=on the
    /// odd-numbered requests starting in that window (5 of them) fail without a response, so that case fails.
    /// </summary>
    public static IReadOnlyList<ReportCase> ShopMatrix() =>
    [
        Case("off", ReportConstants.BaselineScenario, CaseOutcome.Passed, null, Run("baseline", failing: false, fault: false)),
        Case("off", PodKill, CaseOutcome.Passed, null, Run(PodKill, failing: false, fault: true)),
        Case("on", ReportConstants.BaselineScenario, CaseOutcome.Passed, null, Run("baseline", failing: false, fault: false)),
        Case("on", PodKill, CaseOutcome.Failed, "5 of 40 checkouts failed while payments-1 was down (new-checkout: on, chaos: PodKill app=payments).", Run(PodKill, failing: true, fault: true)),
    ];

    public static ReportCase Case(string variant, string scenario, CaseOutcome outcome, string? message, ChaosRunResult? run, string test = Test, string flag = "new-checkout")
    {
        var display = $"{test.Split('.')[^1]}({flag}: {variant}, chaos: {scenario})";
        return new ReportCase(
            $"{test}|{flag}={variant}|{scenario}",
            display,
            test,
            new Dictionary<string, string> { [flag] = variant },
            scenario,
            outcome,
            message,
            run,
            TimeSpan.FromSeconds(4.5),
            "local");
    }

    public static ChaosRunResult Run(string scenario, bool failing, bool fault, int seed = 1234)
    {
        var events = new List<TimelineEvent> { new(T0, ChaosEventNames.RunStarted, scenario, "seed 1234 on local (ks-test)", null, null) };
        var killAt = T0.AddMilliseconds(1500);
        var readyAt = T0.AddMilliseconds(2500);
        if (fault)
        {
            events.Add(new(killAt, ChaosEventNames.ReplicaKilled, "payments-1", "pid 4242, SIGTERM", null, null));
            events.Add(new(killAt, ChaosEventNames.FaultInjected, "pod-kill", "pod-kill on payments-1", null, null));
            events.Add(new(readyAt, ChaosEventNames.ReplicaRestarted, "payments-3", "ready", TimeSpan.FromSeconds(1), null));
            events.Add(new(readyAt, ChaosEventNames.FaultReverted, "pod-kill", null, null, null));
        }

        for (var i = 0; i < 40; i++)
        {
            var start = T0.AddMilliseconds(100 * i);
            var latency = TimeSpan.FromMilliseconds(20 + (i * 7 % 13));
            var down = fault && start >= killAt && start < readyAt;
            if (failing && down && i % 2 == 1)
            {
                events.Add(new(start + latency, ChaosEventNames.RequestFailed, "http://127.0.0.1:5080/checkout", "HttpRequestException: Connection reset by peer", latency, null));
            }
            else
            {
                events.Add(new(start + latency, ChaosEventNames.Request, "http://127.0.0.1:5080/checkout", null, latency, 200));
            }
        }

        events.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        var faults = fault
            ? new[] { new FaultReport("pod-kill", "pod-kill", ["payments-1"], 1, killAt, readyAt, true, ["payments-1 (pid 4242) is gone; payments-3 ready after 1000 ms."], TimeSpan.FromSeconds(1)) }
            : [];
        var probes = new List<ProbeReport> { new("checkout", ProbePhases.Before, T0.AddMilliseconds(10), true, "POST /checkout answered 200.") };
        if (failing)
        {
            probes.Add(new("checkout", ProbePhases.During, T0.AddMilliseconds(1700), false, "POST /checkout failed: Connection reset by peer"));
        }

        probes.Add(new("checkout", ProbePhases.After, T0.AddMilliseconds(4100), true, "POST /checkout answered 200."));
        var reasons = failing ? new[] { "Probe 'checkout' did not hold while faults were in force: POST /checkout failed: Connection reset by peer" } : [];
        return new ChaosRunResult(
            scenario,
            "local",
            "ks-20261127120000-42-abcdef12",
            seed,
            failing ? Verdict.Fail : Verdict.Pass,
            reasons,
            faults,
            probes,
            fault ? TimeSpan.FromMilliseconds(1000) : null,
            events,
            T0,
            T0.AddMilliseconds(4200));
    }
}
