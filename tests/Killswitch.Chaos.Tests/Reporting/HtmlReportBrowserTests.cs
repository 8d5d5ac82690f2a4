using System.Globalization;
using Killswitch.Chaos.Reporting;

namespace Killswitch.Chaos.Tests.Reporting;

/// <summary>report.html opened in headless Chromium: the rendered DOM, not the generated text, is asserted.</summary>
public sealed class HtmlReportBrowserTests
{
    private static readonly string Artifacts = Path.Combine(HeadlessChromium.RepoRoot, "TestResults", "killswitch-report-browser");

    [ChromiumFact]
    public async Task Html_ShopMatrixInChromium_MatrixAndChartsRenderedWithoutScriptErrors()
    {
        var files = await ResilienceReportWriter.WriteAsync(SampleCases.ShopMatrix(), new ReportOptions { Directory = Artifacts, StepSummaryPath = null });

        var dom = await HeadlessChromium.DumpDomAsync(files.Html);
        await HeadlessChromium.ScreenshotAsync(files.Html, Path.Combine(Artifacts, "report.png"));

        var root = Assert.Single(HeadlessChromium.Elements(dom, "html"));
        Assert.False(root.ContainsKey("data-ks-errors"), "script errors: " + root.GetValueOrDefault("data-ks-errors"));
        Assert.Equal("true", root.GetValueOrDefault("data-ks-ready"));
        var cells = HeadlessChromium.Elements(dom, "td", "cell");
        Assert.Equal(
            ["new-checkout=off|baseline|passed", "new-checkout=off|PodKill app=payments|passed", "new-checkout=on|baseline|passed", "new-checkout=on|PodKill app=payments|failed"],
            cells.Select(c => $"{c["data-variant"]}|{c["data-scenario"]}|{c["data-outcome"]}"));
        var charts = HeadlessChromium.Elements(dom, "svg", "latency-chart");
        Assert.Equal(4, charts.Count);
        Assert.All(charts, c => Assert.Equal("40", c["data-samples"]));
        Assert.Equal(["0", "0", "0", "5"], charts.Select(c => c["data-errors"]));
        Assert.Equal(["0", "1", "0", "1"], charts.Select(c => c["data-windows"]));
        Assert.Equal(35 + 40 + 40 + 40, HeadlessChromium.Elements(dom, "circle", "sample").Count);
        Assert.Equal(5, HeadlessChromium.Elements(dom, "path", "error").Count);
        Assert.Equal(2, HeadlessChromium.Elements(dom, "rect", "fault").Count);
        Assert.Equal(2, HeadlessChromium.Elements(dom, "line", "kill").Count);
        Assert.Contains("new-checkout=on does not survive PodKill app=payments; off does.", dom, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(Path.Combine(Artifacts, "report.png"));
        Assert.True(png.Length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', string.Create(CultureInfo.InvariantCulture, $"screenshot of {png.Length} bytes"));
    }

    [ChromiumFact]
    public async Task Html_ScriptBroken_ErrorRecordedAndNoReadyMarker()
    {
        var directory = Path.Combine(Artifacts, "broken");
        var files = await ResilienceReportWriter.WriteAsync(SampleCases.ShopMatrix(), new ReportOptions { Directory = directory, StepSummaryPath = null });
        var html = await File.ReadAllTextAsync(files.Html);
        Assert.Contains("JSON.parse(island.textContent)", html, StringComparison.Ordinal);
        await File.WriteAllTextAsync(files.Html, html.Replace("JSON.parse(island.textContent)", "JSON.parse(island.textContent + '}')", StringComparison.Ordinal));

        var dom = await HeadlessChromium.DumpDomAsync(files.Html);

        var root = Assert.Single(HeadlessChromium.Elements(dom, "html"));
        Assert.False(root.ContainsKey("data-ks-ready"));
        Assert.Contains("JSON", root.GetValueOrDefault("data-ks-errors"), StringComparison.Ordinal);
        Assert.Empty(HeadlessChromium.Elements(dom, "svg", "latency-chart"));
    }
}
