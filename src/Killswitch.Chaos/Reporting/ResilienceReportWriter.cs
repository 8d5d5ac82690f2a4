namespace Killswitch.Chaos.Reporting;

/// <summary>
/// Writes the resilience report of a chaos matrix: report.json (machine-readable), report.md (pull-request comment, CI
/// job summary) and report.html (one self-contained page: the variant x fault matrix and a latency chart per case).
/// Framework-agnostic: a test framework adapter collects <see cref="ReportCase"/>s and calls <see cref="WriteAsync"/>.
/// </summary>
public static class ResilienceReportWriter
{
    /// <summary>Writes the three files into <see cref="ReportOptions.Directory"/>, and appends report.md to <c>$GITHUB_STEP_SUMMARY</c> when set.</summary>
    public static Task<ReportFiles> WriteAsync(IReadOnlyList<ReportCase> cases, ReportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("The report writer lands in the next commit; this one publishes the contract.");
    }
}
