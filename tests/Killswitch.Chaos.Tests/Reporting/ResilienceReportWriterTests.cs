using System.Text.Json;
using Killswitch.Chaos.Reporting;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using Snapshooter.Xunit;

namespace Killswitch.Chaos.Tests.Reporting;

public sealed class ResilienceReportWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "killswitch-report-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task WriteAsync_ShopMatrix_JsonMatchesSnapshot()
    {
        var files = await WriteAsync(SampleCases.ShopMatrix());

        Snapshot.Match(JToken.Parse(await File.ReadAllTextAsync(files.Json)));
    }

    [Fact]
    public async Task WriteAsync_ShopMatrix_WritesThreeFilesIntoDirectory()
    {
        var files = await WriteAsync(SampleCases.ShopMatrix());

        Assert.Equal(Path.Combine(_directory, "report.json"), files.Json);
        Assert.Equal(Path.Combine(_directory, "report.md"), files.Markdown);
        Assert.Equal(Path.Combine(_directory, "report.html"), files.Html);
        Assert.All([files.Json, files.Markdown, files.Html], f => Assert.True(new FileInfo(f).Length > 0, f));
    }

    [Fact]
    public async Task WriteAsync_FailingCase_FiguresComputedFromTimelineAndFaultReports()
    {
        var files = await WriteAsync(SampleCases.ShopMatrix());

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(files.Json));
        var failing = json.RootElement.GetProperty("cases")[3];
        Assert.Equal("failed", failing.GetProperty("outcome").GetString());
        var run = failing.GetProperty("run");
        var requests = run.GetProperty("requests");
        Assert.Equal(40, requests.GetProperty("total").GetInt32());
        Assert.Equal(5, requests.GetProperty("errors").GetInt32());
        Assert.Equal(0.125, requests.GetProperty("errorRate").GetDouble());
        // Requests starting 1500..2500 ms (the fault window, both ends included): i = 15..25.
        Assert.Equal(11, requests.GetProperty("duringFaults").GetProperty("total").GetInt32());
        Assert.Equal(5, requests.GetProperty("duringFaults").GetProperty("errors").GetInt32());
        var latencies = Enumerable.Range(0, 40).Select(i => 20.0 + (i * 7 % 13)).Order().ToArray();
        var latency = requests.GetProperty("latencyMs");
        Assert.Equal(latencies[19], latency.GetProperty("p50").GetDouble());
        Assert.Equal(latencies[37], latency.GetProperty("p95").GetDouble());
        Assert.Equal(latencies[39], latency.GetProperty("p99").GetDouble());
        Assert.Equal(1000, run.GetProperty("recoveryTimeMs").GetDouble());
        Assert.Equal(1234, run.GetProperty("seed").GetInt32());
        var fault = Assert.Single(run.GetProperty("faults").EnumerateArray());
        Assert.Equal(1500, fault.GetProperty("windowStartMs").GetDouble());
        Assert.Equal(2500, fault.GetProperty("windowEndMs").GetDouble());
        Assert.Equal(1, run.GetProperty("probes").GetProperty("failed").GetInt32());
        Assert.Equal(40, run.GetProperty("samples").GetArrayLength());
        Assert.Equal(5, run.GetProperty("samples").EnumerateArray().Count(s => s[2].GetInt32() == 0));
    }

    [Fact]
    public async Task WriteAsync_OneVariantFailsUnderFault_VariantComparisonIsTheFirstFinding()
    {
        var cases = SampleCases.ShopMatrix().Append(
            SampleCases.Case("on", "Latency app=payments", CaseOutcome.Inconclusive, "Fault 'latency' did not take effect: No traffic crossed checkout->payments.", null)).ToArray();

        var files = await WriteAsync(cases);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(files.Json));
        var findings = json.RootElement.GetProperty("findings");
        Assert.Equal(2, findings.GetArrayLength());
        Assert.Equal("variantComparison", findings[0].GetProperty("kind").GetString());
        Assert.Equal("new-checkout=on does not survive PodKill app=payments; off does.", findings[0].GetProperty("message").GetString());
        Assert.Equal("inconclusive", findings[1].GetProperty("kind").GetString());
        var markdown = await File.ReadAllTextAsync(files.Markdown);
        var html = await File.ReadAllTextAsync(files.Html);
        Assert.True(markdown.IndexOf("new-checkout=on does not survive PodKill app=payments; off does.", StringComparison.Ordinal) < markdown.IndexOf("| variant |", StringComparison.Ordinal), markdown);
        Assert.True(html.IndexOf("new-checkout=on does not survive PodKill app=payments; off does.", StringComparison.Ordinal) < html.IndexOf("<table class=\"matrix\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_VariantFailsWithoutFaults_ReportedAsRegressionNotComparison()
    {
        var cases = new[]
        {
            SampleCases.Case("off", ReportConstants.BaselineScenario, CaseOutcome.Passed, null, SampleCases.Run("baseline", failing: false, fault: false)),
            SampleCases.Case("on", ReportConstants.BaselineScenario, CaseOutcome.Failed, "500 from checkout", SampleCases.Run("baseline", failing: false, fault: false)),
            SampleCases.Case("off", SampleCases.PodKill, CaseOutcome.Failed, "lost orders", SampleCases.Run(SampleCases.PodKill, failing: true, fault: true)),
            SampleCases.Case("on", SampleCases.PodKill, CaseOutcome.Failed, "lost orders", SampleCases.Run(SampleCases.PodKill, failing: true, fault: true)),
        };

        var files = await WriteAsync(cases);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(files.Json));
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("kind").GetString(), f.GetProperty("message").GetString())).ToArray();
        Assert.Equal(
            [("failsWithoutFaults", "new-checkout=on fails even without faults (baseline)."), ("noVariantSurvives", "No variant (new-checkout=off and new-checkout=on) survives PodKill app=payments.")],
            findings);
    }

    [Fact]
    public async Task WriteAsync_Matrix_VariantsByScenariosBaselineFirstWithWorstOutcome()
    {
        var files = await WriteAsync(SampleCases.ShopMatrix().Reverse().ToArray());

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(files.Json));
        var matrix = Assert.Single(json.RootElement.GetProperty("matrices").EnumerateArray());
        Assert.Equal(["baseline", "PodKill app=payments"], matrix.GetProperty("scenarios").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["new-checkout=on", "new-checkout=off"], matrix.GetProperty("variants").EnumerateArray().Select(s => s.GetString()));
        var cell = matrix.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("variant").GetString() == "new-checkout=on" && c.GetProperty("scenario").GetString() == SampleCases.PodKill);
        Assert.Equal("failed", cell.GetProperty("outcome").GetString());
        Assert.Equal(0.125, cell.GetProperty("errorRate").GetDouble());
    }

    [Fact]
    public async Task WriteAsync_CaseNotRun_RunIsNullAndFiguresAbsent()
    {
        var files = await WriteAsync([SampleCases.Case("on", SampleCases.PodKill, CaseOutcome.Skipped, "Docker is not available: the docker target cannot run here.", null)]);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(files.Json));
        var c = Assert.Single(json.RootElement.GetProperty("cases").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("run").ValueKind);
        Assert.Equal("skipped", c.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("matrices")[0].GetProperty("cells")[0].GetProperty("errorRate").ValueKind);
        Assert.Contains("not available", await File.ReadAllTextAsync(files.Markdown), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_UserTextWithMarkup_EscapedInHtml()
    {
        const string Test = "Evil<script>alert('test')</script>.Method";
        const string Message = "</script><img src=x onerror=alert(1)> & \"quoted\"";
        var cases = new[]
        {
            SampleCases.Case("on", "PodKill app=<b>payments</b>", CaseOutcome.Failed, Message, SampleCases.Run("x", failing: true, fault: true), test: Test, flag: "flag\"><svg onload=alert(2)>"),
        };

        var files = await WriteAsync(cases);

        var html = await File.ReadAllTextAsync(files.Html);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg onload", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>payments", html, StringComparison.Ordinal);
        Assert.Contains("Evil&lt;script&gt;alert(&#x27;test&#x27;)&lt;/script&gt;.Method", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;", html, StringComparison.Ordinal);
        // Exactly three script elements (error recorder, data island, chart script), each closed once: no text closed one early.
        Assert.Equal(3, Occurrences(html, "<script"));
        Assert.Equal(3, Occurrences(html, "</script>"));
    }

    [Fact]
    public async Task WriteAsync_UserTextWithMarkup_EscapedInMarkdown()
    {
        var cases = new[]
        {
            SampleCases.Case("on", "PodKill app=payments", CaseOutcome.Failed, "expected | got\nline two <img src=x> `code` *bold*", null, test: "Shop<b>.Tests"),
        };

        var files = await WriteAsync(cases);

        var markdown = await File.ReadAllTextAsync(files.Markdown);
        Assert.Contains(@"| message | expected \| got line two &lt;img src=x&gt; \`code\` \*bold\* |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Shop&lt;b&gt;.Tests", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Html_SelfContainedNothingFromTheNetwork()
    {
        var files = await WriteAsync(SampleCases.ShopMatrix());

        var html = await File.ReadAllTextAsync(files.Html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.All(Hrefs(html), href => Assert.StartsWith("#", href, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_StepSummaryPathSet_MarkdownAppended()
    {
        Directory.CreateDirectory(_directory);
        var summary = Path.Combine(_directory, "summary.md");
        await File.WriteAllTextAsync(summary, "earlier step\n");

        var files = await WriteAsync(SampleCases.ShopMatrix(), o => o.StepSummaryPath = summary);

        var text = await File.ReadAllTextAsync(summary);
        Assert.StartsWith("earlier step\n# Killswitch resilience report", text, StringComparison.Ordinal);
        Assert.Contains(await File.ReadAllTextAsync(files.Markdown), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_NoDirectory_ThrowsNamingTheOption()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => ResilienceReportWriter.WriteAsync(SampleCases.ShopMatrix(), new ReportOptions { Directory = " ", StepSummaryPath = null }));

        Assert.StartsWith("ReportOptions.Directory is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportOptions_Defaults()
    {
        var sut = new ReportOptions();

        Assert.Equal("TestResults/killswitch", sut.Directory);
        Assert.Equal("Killswitch resilience report", sut.Title);
        Assert.Same(TimeProvider.System, sut.TimeProvider);
        Assert.Equal(Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY"), sut.StepSummaryPath);
    }

    [Theory]
    [InlineData(new double[] { 5 }, 0.5, 5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.5, 2)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.95, 10)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.9, 9)]
    public void Percentile_NearestRank(double[] sorted, double p, double expected)
    {
        Assert.Equal(expected, LatencyStats.Percentile(sorted, p));
    }

    private async Task<ReportFiles> WriteAsync(IReadOnlyList<ReportCase> cases, Action<ReportOptions>? configure = null)
    {
        var options = new ReportOptions
        {
            Directory = _directory,
            StepSummaryPath = null,
            TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 30, 0, TimeSpan.Zero)),
        };
        configure?.Invoke(options);
        return await ResilienceReportWriter.WriteAsync(cases, options);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static IEnumerable<string> Hrefs(string html)
    {
        for (var i = html.IndexOf("href=\"", StringComparison.Ordinal); i >= 0; i = html.IndexOf("href=\"", i + 1, StringComparison.Ordinal))
        {
            var start = i + 6;
            yield return html[start..html.IndexOf('"', start)];
        }
    }
}
