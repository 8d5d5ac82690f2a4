using System.Globalization;
using System.Text;

namespace Killswitch.Chaos.Reporting;

/// <summary>
/// Writes report.md (GitHub-flavoured): findings first, then each test's variant x scenario matrix, then a table per
/// case. Text that comes from users (test names, messages, variants) is escaped so it cannot break a table or inject
/// markup into a pull-request comment.
/// </summary>
internal static class MarkdownReport
{
    public static string Render(ReportModel model, bool withCases = true)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(model.Title)).AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"{model.Cases.Count} cases: {model.Count(CaseOutcome.Passed)} passed, {model.Count(CaseOutcome.Failed)} failed, ")
          .Append(CultureInfo.InvariantCulture, $"{model.Count(CaseOutcome.Inconclusive)} inconclusive, {model.Count(CaseOutcome.Skipped)} skipped")
          .Append(" · target ").Append(Escape(string.Join(", ", model.Cases.Select(c => c.Case.Target).Distinct(StringComparer.Ordinal))))
          .Append(" · ").AppendLine(model.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))
          .AppendLine();

        md.AppendLine("## Findings").AppendLine();
        if (model.Findings.Count == 0)
        {
            md.AppendLine(model.Count(CaseOutcome.Failed) == 0 ? "Every variant survived every scenario." : "No finding beyond the failed cases below.").AppendLine();
        }

        foreach (var finding in model.Findings)
        {
            md.Append("- ").Append(Icon(finding.Kind)).Append(" **").Append(Escape(finding.Test)).Append("**: ").AppendLine(Escape(finding.Message));
        }

        if (model.Findings.Count > 0)
        {
            md.AppendLine();
        }

        foreach (var matrix in model.Matrices)
        {
            md.Append("## ").AppendLine(Escape(matrix.Test)).AppendLine();
            md.Append("| variant |");
            foreach (var scenario in matrix.Scenarios)
            {
                md.Append(' ').Append(Escape(scenario)).Append(" |");
            }

            md.AppendLine().Append("| --- |").AppendLine(string.Concat(Enumerable.Repeat(" --- |", matrix.Scenarios.Count)));
            foreach (var variant in matrix.Variants)
            {
                md.Append("| ").Append(Escape(variant)).Append(" |");
                foreach (var scenario in matrix.Scenarios)
                {
                    md.Append(' ').Append(matrix.Find(variant, scenario) is { } cell ? CellText(cell.Case) : "not run").Append(" |");
                }

                md.AppendLine();
            }

            md.AppendLine();
        }

        if (!withCases)
        {
            md.AppendLine("_Per-case tables left out: the full report.md is next to report.html._");
            return md.ToString();
        }

        md.AppendLine("## Cases").AppendLine();
        foreach (var c in model.Cases)
        {
            AppendCase(md, c);
        }

        return md.ToString();
    }

    private static void AppendCase(StringBuilder md, CaseReport report)
    {
        var c = report.Case;
        md.Append("### ").Append(Outcome(c.Outcome)).Append(' ').AppendLine(Escape(c.DisplayName)).AppendLine();
        md.AppendLine("| | |").AppendLine("| --- | --- |");
        Row(md, "outcome", c.Outcome.ToString());
        Row(md, "variant", report.VariantLabel);
        Row(md, "scenario", c.Scenario);
        Row(md, "target", c.Target);
        Row(md, "duration", Ms(c.Duration.TotalMilliseconds));
        if (c.Message is { Length: > 0 } message)
        {
            Row(md, "message", message);
        }

        if (c.Run is { } run && report.Figures is { } f)
        {
            Row(md, "verdict", run.Verdict.ToString());
            Row(md, "requests", string.Create(CultureInfo.InvariantCulture, $"{f.All.Total}, {f.All.Errors} failed ({Rate(f.All.ErrorRate)})"));
            if (f.Windows.Count > 0)
            {
                Row(md, "during faults", string.Create(CultureInfo.InvariantCulture, $"{f.DuringFaults.Total}, {f.DuringFaults.Errors} failed ({Rate(f.DuringFaults.ErrorRate)})"));
            }

            if (f.Latency is { } l)
            {
                Row(md, "latency p50 / p95 / p99 / max", $"{Ms(l.P50)} / {Ms(l.P95)} / {Ms(l.P99)} / {Ms(l.Max)}");
            }

            Row(md, "recovery", run.RecoveryTime is { } r ? Ms(r.TotalMilliseconds) : "n/a");
            foreach (var fault in run.Faults)
            {
                var effect = fault.TookEffect ? "took effect" : "did NOT take effect";
                Row(md, "fault " + fault.Name, $"{effect}; {string.Join(" ", fault.Evidence)}");
            }

            foreach (var reason in run.Reasons)
            {
                Row(md, "reason", reason);
            }

            Row(md, "seed", run.Seed.ToString(CultureInfo.InvariantCulture));
            Row(md, "run", run.RunId);
        }

        md.AppendLine();
    }

    private static void Row(StringBuilder md, string name, string value) => md.Append("| ").Append(Escape(name)).Append(" | ").Append(Escape(value)).AppendLine(" |");

    private static string CellText(CaseReport c)
    {
        var text = Outcome(c.Case.Outcome) + " " + c.Case.Outcome.ToString().ToLowerInvariant();
        if (c.Figures is { } f)
        {
            text += " · " + Rate(f.All.ErrorRate) + " errors";
            if (f.Latency is { } l)
            {
                text += " · p95 " + Ms(l.P95);
            }
        }

        return text;
    }

    private static string Outcome(CaseOutcome outcome) => outcome switch
    {
        CaseOutcome.Passed => "✅",
        CaseOutcome.Failed => "❌",
        CaseOutcome.Inconclusive => "⚠️",
        _ => "⏭️",
    };

    private static string Icon(FindingKind kind) => kind switch
    {
        FindingKind.VariantComparison => "🔀",
        FindingKind.Inconclusive => "⚠️",
        _ => "❌",
    };

    internal static string Rate(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    internal static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>
    /// Escapes text for a Markdown table cell or line: Markdown punctuation is backslash-escaped, <c>&lt;</c>,
    /// <c>&gt;</c> and <c>&amp;</c> become entities (GitHub renders inline HTML), and line breaks become spaces.
    /// </summary>
    internal static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '&':
                    sb.Append("&amp;");
                    break;
                case '\r':
                case '\n':
                    sb.Append(' ');
                    break;
                case '\\' or '|' or '`' or '*' or '_' or '[' or ']' or '#' or '!' or '~':
                    sb.Append('\\').Append(ch);
                    break;
                default:
                    sb.Append(ch);
                    break;
            }
        }

        return sb.ToString();
    }
}
