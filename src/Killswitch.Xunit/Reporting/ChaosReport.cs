using System.Globalization;

namespace Killswitch.Xunit;

/// <summary>Writes the session's report when the run ends and says where it is.</summary>
public static class ChaosReport
{
    /// <summary>Writes the report of <paramref name="session"/>; returns the line to print.</summary>
    public static Task<string> WriteAsync(ChaosSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var entries = session.Collector.Entries;
        var counts = string.Join(", ", Enum.GetValues<ChaosCaseOutcome>().Select(o => $"{entries.Count(e => e.Result.Outcome == o)} {o.ToString().ToLowerInvariant()}"));
        return Task.FromResult(string.Create(CultureInfo.InvariantCulture, $"[killswitch] {entries.Count} chaos cases: {counts}. Timelines: {Path.Combine(session.ReportDirectory, "timelines")}"));
    }
}
