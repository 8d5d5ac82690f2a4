using System.Text;

namespace Killswitch.Chaos.Reporting;

/// <summary>
/// Writes the resilience report of a chaos matrix: report.json (machine-readable), report.md (pull-request comment, CI
/// job summary) and report.html (one self-contained page: the variant x scenario matrix and a latency chart per case).
/// Framework-agnostic: a test framework adapter collects <see cref="ReportCase"/>s and calls <see cref="WriteAsync"/>.
/// The format is described in docs/reports.md.
/// </summary>
public static class ResilienceReportWriter
{
    /// <summary>GitHub truncates a job summary beyond 1 MiB; past this, the summary gets report.md without the per-case tables.</summary>
    internal const int StepSummaryLimit = 1000 * 1024;

    /// <summary>
    /// Writes report.json, report.md and report.html into <see cref="ReportOptions.Directory"/> (created if missing,
    /// files replaced), and appends report.md to the file named by <c>$GITHUB_STEP_SUMMARY</c> when that is set.
    /// </summary>
    /// <returns>The full paths of the three files.</returns>
    /// <exception cref="ArgumentException">The options are invalid (the message names the option), or a case is null.</exception>
    public static async Task<ReportFiles> WriteAsync(IReadOnlyList<ReportCase> cases, ReportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var model = ReportModel.Create(cases, options.Title, options.TimeProvider.GetUtcNow());
        var directory = Path.GetFullPath(options.Directory);
        Directory.CreateDirectory(directory);
        var files = new ReportFiles(
            Path.Combine(directory, ReportConstants.JsonFileName),
            Path.Combine(directory, ReportConstants.MarkdownFileName),
            Path.Combine(directory, ReportConstants.HtmlFileName));

        var markdown = MarkdownReport.Render(model);
        await File.WriteAllBytesAsync(files.Json, JsonReport.Render(model), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(files.Markdown, markdown, Utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(files.Html, HtmlReport.Render(model), Utf8, cancellationToken).ConfigureAwait(false);

        if (options.StepSummaryPath is { Length: > 0 } summary)
        {
            var text = Utf8.GetByteCount(markdown) <= StepSummaryLimit ? markdown : MarkdownReport.Render(model, withCases: false);
            await File.AppendAllTextAsync(summary, text + Environment.NewLine, Utf8, cancellationToken).ConfigureAwait(false);
        }

        return files;
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
}
