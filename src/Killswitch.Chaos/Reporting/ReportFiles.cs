namespace Killswitch.Chaos.Reporting;

/// <summary>The full paths of the files a report was written to.</summary>
/// <param name="Json">report.json: machine-readable.</param>
/// <param name="Markdown">report.md: for a pull-request comment or the CI job summary.</param>
/// <param name="Html">report.html: one self-contained page with the matrix and the charts.</param>
public sealed record ReportFiles(string Json, string Markdown, string Html);
