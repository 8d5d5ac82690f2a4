namespace Killswitch.Chaos.Reporting;

/// <summary>Where and how <see cref="ResilienceReportWriter"/> writes the report.</summary>
public sealed class ReportOptions
{
    /// <summary>The folder the three files are written to (created if missing). Default <see cref="ReportConstants.DefaultDirectory"/>.</summary>
    public string Directory { get; set; } = ReportConstants.DefaultDirectory;

    /// <summary>The report's title (HTML title and heading, Markdown heading). Default <see cref="ReportConstants.DefaultTitle"/>.</summary>
    public string Title { get; set; } = ReportConstants.DefaultTitle;
}
