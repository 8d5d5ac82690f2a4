using System.Globalization;
using Killswitch.Chaos.Reporting;

namespace Killswitch.Xunit;

/// <summary>Writes the session's resilience report when the run ends (Killswitch.Chaos's <see cref="ResilienceReportWriter"/>) and says where it is.</summary>
public static class ChaosReport
{
    /// <summary>The report's cases: one per case run (or skipped), in completion order.</summary>
    public static IReadOnlyList<ReportCase> Cases(IReadOnlyList<ChaosReportEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return [.. entries.Select(e => new ReportCase(
            e.Result.Case.Id,
            e.DisplayName,
            e.Result.Case.Test,
            (e.Result.Case.Variant?.Variants ?? []).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
            e.Result.Case.Scenario.IsBaseline ? ReportConstants.BaselineScenario : e.Result.Case.Scenario.Name,
            e.Result.Outcome,
            e.Result.Message,
            e.Result.Run,
            e.Result.Duration,
            e.Result.Target))];
    }

    /// <summary>Writes the report of <paramref name="session"/>; returns the lines to print (counts, and where the files are or why they are not).</summary>
    public static async Task<string> WriteAsync(ChaosSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var entries = session.Collector.Entries;
        var counts = string.Join(", ", Enum.GetValues<CaseOutcome>().Select(o => $"{entries.Count(e => e.Result.Outcome == o)} {o.ToString().ToLowerInvariant()}"));
        var summary = string.Create(CultureInfo.InvariantCulture, $"[killswitch] {entries.Count} chaos cases: {counts}.");
        try
        {
            var options = new ReportOptions { Directory = session.ReportDirectory };
            if (session.ReportTitle is { Length: > 0 } title)
            {
                options.Title = title;
            }

            var files = await ResilienceReportWriter.WriteAsync(Cases(entries), options, cancellationToken).ConfigureAwait(false);
            return $"{summary} Report: {files.Html} (also {Path.GetFileName(files.Json)}, {Path.GetFileName(files.Markdown)}); timelines: {Path.Combine(session.ReportDirectory, "timelines")}";
        }
#pragma warning disable CA1031 // The report must not hide the test results: say why it is missing instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"{summary} The report could not be written to {session.ReportDirectory}: {e.GetType().Name}: {e.Message}";
        }
    }
}
