namespace Killswitch.Chaos.Reporting;

/// <summary>Where and how <see cref="ResilienceReportWriter"/> writes the report.</summary>
public sealed class ReportOptions
{
    /// <summary>The folder the three files are written to (created if missing). Default <see cref="ReportConstants.DefaultDirectory"/>.</summary>
    public string Directory { get; set; } = ReportConstants.DefaultDirectory;

    /// <summary>The report's title (HTML title and heading, Markdown heading). Default <see cref="ReportConstants.DefaultTitle"/>.</summary>
    public string Title { get; set; } = ReportConstants.DefaultTitle;

    /// <summary>
    /// A file report.md is appended to, for a CI job summary. Default: the value of <c>GITHUB_STEP_SUMMARY</c>
    /// (<see cref="ReportConstants.GitHubStepSummaryVariable"/>) when set; <see langword="null"/> appends nowhere.
    /// </summary>
    public string? StepSummaryPath { get; set; } = Environment.GetEnvironmentVariable(ReportConstants.GitHubStepSummaryVariable);

    /// <summary>The clock of the report's <c>generatedAt</c>. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add("ReportOptions.Directory is required: the folder to write report.json, report.md and report.html to (default TestResults/killswitch).");
        }

        if (string.IsNullOrWhiteSpace(Title))
        {
            errors.Add("ReportOptions.Title is required.");
        }

        if (TimeProvider is null)
        {
            errors.Add("ReportOptions.TimeProvider is required (TimeProvider.System by default).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }
}
