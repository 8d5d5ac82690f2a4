using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Killswitch.Build.Diagnostics;
using Killswitch.Build.IO;

namespace Killswitch.Build.Reports;

/// <summary>What the Markdown summary is made from.</summary>
internal sealed class SummaryInput
{
    public string ProjectName { get; set; } = string.Empty;

    public string? TargetFramework { get; set; }

    public bool Gate { get; set; }

    /// <summary>The findings, or null when there is no SARIF log to read them from.</summary>
    public IReadOnlyList<Finding>? Findings { get; set; }

    /// <summary>Why there are no findings to show (the build stopped before compiling, the log is unreadable).</summary>
    public string? FindingsUnavailable { get; set; }

    /// <summary>The hand-over file's header keys: <c>base-ref</c>, <c>merge-base</c>, <c>repository-root</c>, <c>problem</c>, <c>scope</c>.</summary>
    public IReadOnlyDictionary<string, string> NewCode { get; set; } = new Dictionary<string, string>();

    public int ChangedFileCount { get; set; }

    public bool NewCodeFailed { get; set; }
}

/// <summary>
/// The Markdown summary for a pull-request comment or <c>$GITHUB_STEP_SUMMARY</c>: a headline with the outcome, what
/// was compared, a table (location, member, rule, why), and how to fix or baseline.
/// </summary>
internal static class SummaryDocument
{
    public static string Write(SummaryInput input)
    {
        var text = new StringBuilder();
        var name = string.IsNullOrEmpty(input.TargetFramework) ? input.ProjectName : input.ProjectName + " (" + input.TargetFramework + ")";
        input.NewCode.TryGetValue("problem", out var problem);
        input.NewCode.TryGetValue("repository-root", out var repositoryRoot);
        // Notes (Info severity, e.g. KS0005 "no flag manifest") are advice, not findings: they neither fail the gate nor
        // belong in a pull-request comment.
        var findings = new List<Finding>();
        var newCodeFindings = 0;
        var failing = false;
        foreach (var finding in input.Findings ?? Array.Empty<Finding>())
        {
            if (finding.Level != "error" && finding.Level != "warning")
            {
                continue;
            }

            findings.Add(finding);
            failing |= finding.Level == "error";
            if (finding.RuleId == "KS1001")
            {
                newCodeFindings++;
            }
        }

        if (input.NewCodeFailed)
        {
            text.Append("### ❌ Killswitch could not tell which code is new: ").Append(name).Append("\n\n");
        }
        else if (input.Findings is null)
        {
            text.Append("### ⚠️ Killswitch has no results: ").Append(name).Append("\n\n");
        }
        else if (findings.Count == 0)
        {
            text.Append("### ✅ Killswitch: no unguarded new code in ").Append(name).Append("\n\n");
        }
        else
        {
            text.Append(failing ? "### ❌ " : "### ⚠️ ").Append("Killswitch: ");
            if (newCodeFindings > 0)
            {
                text.Append(Count(newCodeFindings, "new code path", "new code paths")).Append(" not behind a feature flag");
                if (findings.Count != newCodeFindings)
                {
                    text.Append(", ").Append(Count(findings.Count - newCodeFindings, "other finding", "other findings"));
                }
            }
            else
            {
                text.Append(Count(findings.Count, "finding", "findings"));
            }

            text.Append(" in ").Append(name).Append("\n\n");
        }

        AppendComparison(text, input, problem);
        if (input.FindingsUnavailable is not null)
        {
            text.Append(input.FindingsUnavailable).Append("\n\n");
        }

        if (findings.Count > 0)
        {
            text.Append("| Location | Member | Rule | Why |\n| --- | --- | --- | --- |\n");
            foreach (var finding in findings)
            {
                var location = finding.FilePath is null ? "-" : Relative(finding.FilePath, repositoryRoot) + ":" + finding.Line.ToString(CultureInfo.InvariantCulture);
                var rule = finding.HelpUri is null ? finding.RuleId : "[" + finding.RuleId + "](" + finding.HelpUri + ")";
                text.Append("| `").Append(Cell(location)).Append("` | ")
                    .Append(finding.BaselineKey is null ? "-" : "`" + Cell(finding.BaselineKey) + "`").Append(" | ")
                    .Append(rule).Append(" | ")
                    .Append(Cell(Why(finding.Message))).Append(" |\n");
            }

            text.Append('\n')
                .Append(failing ? "The build fails on these. " : input.Gate ? "Reported as warnings. " : "Reported as warnings; the gate (KillswitchGate=true) would fail on KS1001. ")
                .Append("**How to fix:** put each new path behind a feature flag check, e.g. `if (await client.GetBooleanValueAsync(\"my-flag\", false)) { ... }`, ")
                .Append("or mark code that must not be flagged with `[NoFeatureFlag(\"reason\")]`. ")
                .Append("**To adopt the gate on existing code:** list findings in `killswitch.baseline` (one `KS1001 <member>` per line, the Member column above), ")
                .Append("or write them all with `dotnet build -p:KillswitchWriteBaseline=true`.\n\n");
        }

        text.Append("[Killswitch in the build](").Append(BuildMessageCodes.DocsUrl).Append(")\n");
        return text.ToString();
    }

    private static void AppendComparison(StringBuilder text, SummaryInput input, string? problem)
    {
        input.NewCode.TryGetValue("scope", out var scope);
        input.NewCode.TryGetValue("base-ref", out var baseRef);
        input.NewCode.TryGetValue("merge-base", out var mergeBase);
        if (problem is not null)
        {
            var space = problem.IndexOf(' ');
            var code = space < 0 ? problem : problem.Substring(0, space);
            text.Append("> **").Append(code).Append("** ").Append(space < 0 ? string.Empty : problem.Substring(space + 1))
                .Append(" ([").Append(code).Append("](").Append(BuildMessageCodes.HelpLink(code)).Append("))\n\n");
            text.Append(input.NewCodeFailed
                ? "The gate fails rather than pass without looking. Set `KillswitchNewCodeFallback` to `None` or `All` to let it pass anyway.\n\n"
                : "Fallback taken: KillswitchNewCodeScope=" + scope + ".\n\n");
            return;
        }

        if (scope is not null && scope != "Changed")
        {
            text.Append("KillswitchNewCodeScope=").Append(scope).Append(scope == "All" ? ": all code counts as new.\n\n" : ": nothing counts as new.\n\n");
            return;
        }

        if (baseRef is not null)
        {
            text.Append("Compared with `").Append(baseRef).Append('`');
            if (mergeBase is not null)
            {
                text.Append(" (merge-base `").Append(mergeBase.Length > 10 ? mergeBase.Substring(0, 10) : mergeBase).Append("`)");
            }

            text.Append(", working tree included: ").Append(Count(input.ChangedFileCount, "changed source file", "changed source files")).Append(".\n\n");
        }
    }

    private static string Count(int count, string one, string many) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many);

    /// <summary>The reason part of the analyzer's message (before its advice, which the table's footer gives once).</summary>
    private static string Why(string message)
    {
        var advice = message.IndexOf("; ", StringComparison.Ordinal);
        return advice > 0 ? message.Substring(0, advice) : message;
    }

    private static string Relative(string path, string? repositoryRoot)
    {
        var normalized = PathUtilities.Normalize(path);
        return repositoryRoot is not null && PathUtilities.IsUnder(normalized, repositoryRoot) ? normalized.Substring(repositoryRoot.Length) : normalized;
    }

    private static string Cell(string text) => text.Replace("\r", string.Empty).Replace("\n", " ").Replace("|", "\\|").Replace("`", "'");
}
