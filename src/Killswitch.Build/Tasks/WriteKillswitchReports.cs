using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Killswitch.Build.Diagnostics;
using Killswitch.Build.IO;
using Killswitch.Build.NewCode;
using Killswitch.Build.Reports;
using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace Killswitch.Build.Tasks;

/// <summary>
/// After compilation (or after the build failed), reads the compiler's SARIF log and writes the Markdown summary,
/// appends it to the GitHub step summary, and in baseline mode rewrites the baseline from the findings. Never fails
/// the build itself: in gate mode the compiler's KS1001 errors do.
/// </summary>
public sealed class WriteKillswitchReports : MSBuildTask
{
    /// <summary>The project's name, for the headline.</summary>
    [Required]
    public string ProjectName { get; set; } = string.Empty;

    /// <summary>The project file, named in messages.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>The target framework, for the headline of multi-targeted projects.</summary>
    public string? TargetFramework { get; set; }

    /// <summary>The compiler's SARIF log (<c>$(ErrorLog)</c> without its version).</summary>
    public string? SarifFile { get; set; }

    /// <summary>Where to write the Markdown summary (<c>KillswitchSummaryFile</c>).</summary>
    public string? SummaryFile { get; set; }

    /// <summary>A file to append the summary to (<c>KillswitchStepSummaryFile</c>, by default <c>$GITHUB_STEP_SUMMARY</c>).</summary>
    public string? StepSummaryFile { get; set; }

    /// <summary>The hand-over file written by the git step: what was compared, and any problem.</summary>
    public string? NewCodeFile { get; set; }

    /// <summary>True when the build reached CoreCompile, so the SARIF log belongs to this build.</summary>
    public bool CompilationReached { get; set; }

    /// <summary>True when the git step failed the build (gate mode without a fallback).</summary>
    public bool NewCodeFailed { get; set; }

    /// <summary>True in gate mode: changes the summary's wording.</summary>
    public bool Gate { get; set; }

    /// <summary>True to rewrite <see cref="BaselineFile"/> from the findings (<c>KillswitchWriteBaseline</c>).</summary>
    public bool WriteBaseline { get; set; }

    /// <summary>The baseline to write.</summary>
    public string? BaselineFile { get; set; }

    /// <summary>How many Killswitch warnings and errors the SARIF log holds (not counting suppressed ones or notes).</summary>
    [Output]
    public int FindingCount { get; private set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var input = new SummaryInput { ProjectName = ProjectName, TargetFramework = TargetFramework, Gate = Gate, NewCodeFailed = NewCodeFailed };
        if (!string.IsNullOrEmpty(NewCodeFile) && File.Exists(NewCodeFile))
        {
            input.NewCode = NewCodeDocument.ReadHeader(File.ReadAllText(NewCodeFile), out var fileCount);
            input.ChangedFileCount = fileCount;
        }

        if (NewCodeFailed || !CompilationReached)
        {
            input.FindingsUnavailable = "The build stopped before compilation, so there are no findings to show.";
        }
        else
        {
            input.Findings = ReadFindings(out var unavailable);
            input.FindingsUnavailable = unavailable;
        }

        FindingCount = input.Findings?.Count(f => f.Level == "error" || f.Level == "warning") ?? 0;
        var summary = SummaryDocument.Write(input);
        if (!string.IsNullOrEmpty(SummaryFile))
        {
            FileUtilities.WriteIfChanged(SummaryFile!, summary);
        }

        if (!string.IsNullOrEmpty(StepSummaryFile))
        {
            File.AppendAllText(StepSummaryFile, summary + "\n", FileUtilities.Utf8NoBom);
        }

        Log.LogMessage(
            MessageImportance.High,
            "Killswitch: {0} finding(s) in {1}; summary written to {2}",
            FindingCount,
            ProjectName,
            string.IsNullOrEmpty(SummaryFile) ? "(none)" : SummaryFile);

        if (WriteBaseline)
        {
            WriteBaselineFile(input.Findings);
        }

        return !Log.HasLoggedErrors;
    }

    private IReadOnlyList<Finding>? ReadFindings(out string? unavailable)
    {
        unavailable = null;
        if (string.IsNullOrEmpty(SarifFile) || !File.Exists(SarifFile))
        {
            unavailable = $"The compiler wrote no SARIF log at '{SarifFile}'.";
            LogWarning(BuildMessageCodes.SarifUnreadable, $"{unavailable} Killswitch reads the findings from it for the summary and the baseline; check that ErrorLog is not cleared by another import. See {BuildMessageCodes.HelpLink(BuildMessageCodes.SarifUnreadable)}");
            return null;
        }

        try
        {
            return SarifReader.Read(File.ReadAllText(SarifFile));
        }
        catch (FormatException exception)
        {
            unavailable = $"The SARIF log '{SarifFile}' could not be read: {exception.Message}";
            LogWarning(BuildMessageCodes.SarifUnreadable, $"{unavailable} If you set ErrorLog yourself, use ',version=2.1'. See {BuildMessageCodes.HelpLink(BuildMessageCodes.SarifUnreadable)}");
            return null;
        }
    }

    private void WriteBaselineFile(IReadOnlyList<Finding>? findings)
    {
        if (findings is null || string.IsNullOrEmpty(BaselineFile))
        {
            LogWarning(BuildMessageCodes.SarifUnreadable, $"The baseline '{BaselineFile}' was left as it was, because there are no findings to write (see the message above). See {BuildMessageCodes.HelpLink(BuildMessageCodes.SarifUnreadable)}");
            return;
        }

        findings = findings.Where(f => f.Level == "error" || f.Level == "warning").ToList();
        var withoutKey = findings.Where(f => string.IsNullOrWhiteSpace(f.BaselineKey)).ToList();
        if (withoutKey.Count > 0)
        {
            var first = withoutKey[0];
            LogWarning(
                BuildMessageCodes.MissingBaselineKey,
                $"{withoutKey.Count} finding(s) carry no '{SarifReader.BaselineKeyProperty}' property and were not written to the baseline, e.g. {first.RuleId} at {first.FilePath}({first.Line}). Suppress those in source, or update Killswitch. See {BuildMessageCodes.HelpLink(BuildMessageCodes.MissingBaselineKey)}");
        }

        var path = BaselineFile!;
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        var content = BaselineDocument.Write(
            existing,
            findings.Where(f => !string.IsNullOrWhiteSpace(f.BaselineKey)).Select(f => (f.RuleId, f.BaselineKey!)),
            out var added,
            out var removed);
        FileUtilities.WriteIfChanged(path, content);
        Log.LogMessage(
            MessageImportance.High,
            "Killswitch: wrote the baseline '{0}': {1} entr{2} ({3} added, {4} removed). Commit it; findings listed there no longer fail the gate.",
            path,
            findings.Count - withoutKey.Count,
            findings.Count - withoutKey.Count == 1 ? "y" : "ies",
            added,
            removed);
    }

    private void LogWarning(string code, string message) =>
        Log.LogWarning(null, code, null, BuildMessageCodes.HelpLink(code), ProjectFile, 0, 0, 0, 0, "{0}", message);
}
