using System.Reflection;
using System.Text.Json;
using Killswitch.Chaos.Local;
using Killswitch.Chaos.Reporting;
using Killswitch.Chaos.Tests.Infrastructure;
using Killswitch.Flags;
using Killswitch.Flags.Delivery;
using Killswitch.Flags.Matrix;

namespace Killswitch.Chaos.Tests.Reporting;

/// <summary>
/// The report from real runs: samples/Shop on the local target (checkout, two payments replicas), new-checkout switched
/// live over OFREP, 800 ± 100 ms of latency on the checkout→payments edge. The new flow (one call, 500 ms budget)
/// fails the probe while the fault is in force; the classic flow (retries, 3 s per attempt) holds. The report must say so first.
/// </summary>
[Trait("Category", "Integration")]
[Collection(LocalProcessesGroup.Name)]
public sealed class ShopReportTests : IAsyncLifetime
{
    private const string Scenario = "Latency app=payments";

    private static readonly string Shop = Metadata("ShopDirectory");
    private static readonly string Configuration = Metadata("ShopConfiguration");

    private readonly string _journal = Path.Combine(Path.GetTempPath(), "killswitch-tests", Guid.NewGuid().ToString("N"));

    // Started in InitializeAsync and disposed in DisposeAsync (xunit's async lifetime, not IDisposable).
    private OfrepServer Ofrep { get; set; } = null!;

    private LocalTarget Target { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Ofrep = await OfrepServer.StartAsync(FlagManifest.Load(Path.Combine(Shop, "flags.json")));
        var checkout = LocalProcessRuntime.DotNet(App("Shop.Checkout"));
        checkout.Environment["OFREP_URL"] = Ofrep.BaseAddress.ToString();
        var system = new SystemUnderTest(
        [
            new ServiceDefinition("checkout").WithLabel("app", "checkout").AddDependency("payments", "PAYMENTS_URL").AddRuntime(checkout),
            new ServiceDefinition("payments").WithLabel("app", "payments").WithReplicas(2).AddRuntime(LocalProcessRuntime.DotNet(App("Shop.Payments"))),
        ]);
        Target = new LocalTarget(system, new LocalTargetOptions { JournalDirectory = _journal });
        await Target.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Target.DisposeAsync();
        await Ofrep.DisposeAsync();
        if (Directory.Exists(_journal))
        {
            Directory.Delete(_journal, recursive: true);
        }
    }

    [Fact]
    public async Task Report_ShopUnderLatencyPerVariant_SaysNewCheckoutOnDoesNotSurviveAndOffDoes()
    {
        var cases = new List<ReportCase>();
        foreach (var variant in new[] { "off", "on" })
        {
            Ofrep.Select(VariantAssignment.Parse("new-checkout=" + variant));
            await WarmUpAsync(variant == "on" ? "new" : "classic");
            var started = DateTimeOffset.UtcNow;
            var result = await new ChaosRunner(Target).RunAsync(Scenario1());
            var outcome = result.Verdict switch
            {
                Verdict.Pass => CaseOutcome.Passed,
                Verdict.Fail => CaseOutcome.Failed,
                _ => CaseOutcome.Inconclusive,
            };
            cases.Add(new ReportCase(
                $"ShopReportTests.Checkout|new-checkout={variant}|{Scenario}",
                $"Checkout(new-checkout: {variant}, chaos: {Scenario})",
                "ShopReportTests.Checkout",
                new Dictionary<string, string> { ["new-checkout"] = variant },
                Scenario,
                outcome,
                outcome == CaseOutcome.Passed ? null : string.Join(" ", result.Reasons),
                result,
                DateTimeOffset.UtcNow - started,
                Target.Name));
        }

        var directory = Path.Combine(HeadlessChromium.RepoRoot, "TestResults", "killswitch-report-shop");
        var files = await ResilienceReportWriter.WriteAsync(cases, new ReportOptions { Directory = directory, StepSummaryPath = null });

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(files.Json));
        var report = json.RootElement;
        var off = report.GetProperty("cases")[0];
        var on = report.GetProperty("cases")[1];
        var context = $"off: {off.GetProperty("run").GetProperty("requests")}, on: {on.GetProperty("run").GetProperty("requests")}; {cases[0].Run} / {cases[1].Run}";
        Assert.True(off.GetProperty("outcome").GetString() == "passed", context);
        Assert.True(on.GetProperty("outcome").GetString() == "failed", context);
        Assert.Equal("new-checkout=on does not survive Latency app=payments; off does.", report.GetProperty("findings")[0].GetProperty("message").GetString());
        Assert.True(on.GetProperty("run").GetProperty("requests").GetProperty("duringFaults").GetProperty("errors").GetInt32() > 0, context);
        Assert.Equal(0, off.GetProperty("run").GetProperty("requests").GetProperty("errors").GetInt32());
        var window = on.GetProperty("run").GetProperty("faults")[0];
        Assert.True(window.GetProperty("tookEffect").GetBoolean(), context);
        Assert.True(window.GetProperty("windowEndMs").GetDouble() - window.GetProperty("windowStartMs").GetDouble() >= 1900, context);

        if (HeadlessChromium.Path is not null || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var dom = await HeadlessChromium.DumpDomAsync(files.Html);
            await HeadlessChromium.ScreenshotAsync(files.Html, Path.Combine(directory, "report.png"));
            var root = HeadlessChromium.Elements(dom, "html")[0];
            Assert.False(root.ContainsKey("data-ks-errors"), "script errors: " + root.GetValueOrDefault("data-ks-errors"));
            Assert.Equal("true", root.GetValueOrDefault("data-ks-ready"));
            var charts = HeadlessChromium.Elements(dom, "svg", "latency-chart");
            Assert.Equal(2, charts.Count);
            Assert.Equal("0", charts[0]["data-errors"]);
            Assert.NotEqual("0", charts[1]["data-errors"]);
        }
    }

    /// <summary>Latency on the checkout→payments edge from 0.5 s to 2.5 s; checkout probed during it; two clients ordering for 3 s.</summary>
    private static ChaosScenario Scenario1() => new ChaosScenarioBuilder(Scenario)
        .AddLatency(new LatencyOptions
        {
            Selector = "app=payments",
            From = "checkout",
            Latency = TimeSpan.FromMilliseconds(800),
            Jitter = TimeSpan.FromMilliseconds(100),
            StartAfter = TimeSpan.FromMilliseconds(500),
            Duration = TimeSpan.FromSeconds(2),
        })
        .AddPredicateProbe("checkout pays", async (probe, ct) =>
        {
            using var response = await probe.Http.PostAsync(new Uri(probe.GetEndpoint("checkout"), "/checkout"), null, ct);
            return response.IsSuccessStatusCode;
        }, ProbePhases.During)
        .WithWorkload(async (context, ct) =>
        {
            using var http = context.CreateClient("checkout");
            var until = context.TimeProvider.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                while (context.TimeProvider.GetElapsedTime(until) < TimeSpan.FromSeconds(3))
                {
                    using var response = await http.PostAsync("/checkout", null, ct);
                }
            }));
        })
        .Build();

    /// <summary>
    /// A fresh process answers its first requests slowly (JIT); the served variant must also have reached checkout: 10
    /// orders in a row on <paramref name="flow"/>. Checkout evaluates the flag over OFREP with a 500 ms budget and takes
    /// the code default (the classic flow) when the answer is late, which a cold process on a loaded machine sometimes is.
    /// </summary>
    private async Task WarmUpAsync(string flow)
    {
        using var http = TestApp.Client();
        var checkout = new Uri(Target.GetEndpoint("checkout"), "/checkout");
        var flows = new List<string>();
        for (var inARow = 0; inARow < 10 && flows.Count < 100;)
        {
            using var response = await http.PostAsync(checkout, null);
            flows.Add(response.Headers.GetValues("X-Checkout-Flow").Single());
            inARow = flows[^1] == flow ? inARow + 1 : 0;
        }

        Assert.True(flows.TakeLast(10).All(f => f == flow), $"checkout did not settle on the {flow} flow in 100 orders: {string.Join(", ", flows.TakeLast(20))}");
    }

    private static string App(string name) => Path.Combine(Shop, name, "bin", Configuration, "net10.0", name + ".dll");

    private static string Metadata(string key) => typeof(ShopReportTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
