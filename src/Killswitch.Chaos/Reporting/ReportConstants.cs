namespace Killswitch.Chaos.Reporting;

/// <summary>Defaults and well-known names of the resilience report.</summary>
public static class ReportConstants
{
    /// <summary>Default <see cref="ReportOptions.Directory"/>, relative to the working directory.</summary>
    public const string DefaultDirectory = "TestResults/killswitch";

    /// <summary>Default <see cref="ReportOptions.Title"/>.</summary>
    public const string DefaultTitle = "Killswitch resilience report";

    /// <summary>The <see cref="ReportCase.Scenario"/> of a case run without faults.</summary>
    public const string BaselineScenario = "baseline";

    /// <summary>The JSON report's file name.</summary>
    public const string JsonFileName = "report.json";

    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The version of report.json's schema (docs/reports.md); raised when a field changes meaning or goes away.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The environment variable GitHub Actions sets to the job summary file; report.md is appended to it.</summary>
    public const string GitHubStepSummaryVariable = "GITHUB_STEP_SUMMARY";
}
