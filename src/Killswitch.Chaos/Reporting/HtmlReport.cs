using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Killswitch.Chaos.Reporting;

/// <summary>
/// Writes report.html: one self-contained page (inline CSS, script and SVG; nothing loaded from the network). The
/// findings, the matrices and the case tables are plain HTML, readable without script; the script draws each case's
/// latency-over-time chart from a JSON data island. Everything that comes from users is HTML-encoded, and the data
/// island is JSON whose encoder escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so no text can close the script.
/// </summary>
internal static class HtmlReport
{
    private static readonly Lazy<string> Css = new(() => Asset("report.css"));
    private static readonly Lazy<string> Script = new(() => Asset("report.js"));

    public static string Render(ReportModel model)
    {
        var h = new StringBuilder(64 * 1024);
        h.AppendLine("<!DOCTYPE html>")
         .AppendLine("<html lang=\"en\">")
         .AppendLine("<head>")
         .AppendLine("<meta charset=\"utf-8\">")
         .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
         .AppendLine("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">")
         .Append("<title>").Append(E(model.Title)).AppendLine("</title>")
         // First script on the page: records every script error, so a test (or a reader) sees that the page failed.
         .AppendLine("<script>window.addEventListener('error',function(e){var r=document.documentElement;r.setAttribute('data-ks-errors',(r.getAttribute('data-ks-errors')||'')+String(e.message)+'\\n');});</script>")
         .Append("<style>").Append(Css.Value).AppendLine("</style>")
         .AppendLine("</head>")
         .AppendLine("<body>");

        h.Append("<h1>").Append(E(model.Title)).AppendLine("</h1>");
        h.Append("<p class=\"meta\">")
         .Append(CultureInfo.InvariantCulture, $"{model.Cases.Count} cases: {model.Count(CaseOutcome.Passed)} passed, {model.Count(CaseOutcome.Failed)} failed, {model.Count(CaseOutcome.Inconclusive)} inconclusive, {model.Count(CaseOutcome.Skipped)} skipped")
         .Append(" · target ").Append(E(string.Join(", ", model.Cases.Select(c => c.Case.Target).Distinct(StringComparer.Ordinal))))
         .Append(" · ").Append(model.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))
         .AppendLine("</p>");
        h.AppendLine("<noscript><p>The latency charts need JavaScript; the tables below do not.</p></noscript>");

        AppendFindings(h, model);
        foreach (var matrix in model.Matrices)
        {
            AppendMatrix(h, matrix);
        }

        h.AppendLine("<h2>Cases</h2>");
        h.AppendLine("<div class=\"controls\"><label><input type=\"checkbox\" id=\"only-failing\"> only failing and inconclusive cases</label></div>");
        foreach (var c in model.Cases)
        {
            AppendCase(h, c);
        }

        h.Append("<script type=\"application/json\" id=\"ks-data\">").Append(ChartData(model)).AppendLine("</script>");
        h.Append("<script>").Append(Script.Value).AppendLine("</script>");
        h.AppendLine("</body>").AppendLine("</html>");
        return h.ToString();
    }

    private static void AppendFindings(StringBuilder h, ReportModel model)
    {
        h.AppendLine("<h2>Findings</h2>");
        if (model.Findings.Count == 0)
        {
            var text = model.Count(CaseOutcome.Failed) == 0 ? "Every variant survived every scenario." : "No finding beyond the failed cases below.";
            h.Append("<p class=\"ok\" id=\"no-findings\">").Append(text).AppendLine("</p>");
            return;
        }

        h.AppendLine("<ul class=\"findings\" id=\"findings\">");
        foreach (var finding in model.Findings)
        {
            h.Append("<li class=\"").Append(JsonReport.Camel(finding.Kind.ToString())).Append("\"><span class=\"test\">").Append(E(finding.Test)).Append("</span>")
             .Append(E(finding.Message)).AppendLine("</li>");
        }

        h.AppendLine("</ul>");
    }

    private static void AppendMatrix(StringBuilder h, MatrixReport matrix)
    {
        h.Append("<h2>").Append(E(matrix.Test)).AppendLine("</h2>");
        h.Append("<table class=\"matrix\" data-test=\"").Append(E(matrix.Test)).AppendLine("\">");
        h.Append("<thead><tr><th>variant</th>");
        foreach (var scenario in matrix.Scenarios)
        {
            h.Append("<th>").Append(E(scenario)).Append("</th>");
        }

        h.AppendLine("</tr></thead><tbody>");
        foreach (var variant in matrix.Variants)
        {
            h.Append("<tr><th>").Append(E(variant)).Append("</th>");
            foreach (var scenario in matrix.Scenarios)
            {
                if (matrix.Find(variant, scenario) is not { } cell)
                {
                    h.Append("<td class=\"cell notrun\">not run</td>");
                    continue;
                }

                var outcome = JsonReport.Camel(cell.Case.Case.Outcome.ToString());
                h.Append("<td class=\"cell ").Append(outcome).Append("\" data-variant=\"").Append(E(variant)).Append("\" data-scenario=\"").Append(E(scenario))
                 .Append("\" data-outcome=\"").Append(outcome).Append("\"><a href=\"#").Append(cell.Case.Anchor).Append("\"><span class=\"outcome\">").Append(outcome).Append("</span>");
                if (cell.Case.Figures is { } f)
                {
                    h.Append("<span class=\"figures\">").Append(MarkdownReport.Rate(f.All.ErrorRate)).Append(" errors");
                    if (f.Latency is { } l)
                    {
                        h.Append(" · p95 ").Append(MarkdownReport.Ms(l.P95));
                    }

                    h.Append("</span>");
                }

                h.Append("</a></td>");
            }

            h.AppendLine("</tr>");
        }

        h.AppendLine("</tbody></table>");
    }

    private static void AppendCase(StringBuilder h, CaseReport report)
    {
        var c = report.Case;
        var outcome = JsonReport.Camel(c.Outcome.ToString());
        h.Append("<section class=\"case ").Append(outcome).Append("\" id=\"").Append(report.Anchor).Append("\" data-case-id=\"").Append(E(c.Id)).AppendLine("\">");
        h.Append("<h3><span class=\"badge ").Append(outcome).Append("\">").Append(outcome).Append("</span> ").Append(E(c.DisplayName)).AppendLine("</h3>");
        h.AppendLine("<table>");
        Row(h, "variant", report.VariantLabel);
        Row(h, "scenario", c.Scenario);
        Row(h, "target", c.Target);
        Row(h, "duration", MarkdownReport.Ms(c.Duration.TotalMilliseconds));
        if (c.Message is { Length: > 0 } message)
        {
            Row(h, "message", message);
        }

        if (c.Run is { } run && report.Figures is { } f)
        {
            Row(h, "verdict", run.Verdict.ToString());
            Row(h, "requests", string.Create(CultureInfo.InvariantCulture, $"{f.All.Total}, {f.All.Errors} failed ({MarkdownReport.Rate(f.All.ErrorRate)})"));
            if (f.Windows.Count > 0)
            {
                Row(h, "during faults", string.Create(CultureInfo.InvariantCulture, $"{f.DuringFaults.Total}, {f.DuringFaults.Errors} failed ({MarkdownReport.Rate(f.DuringFaults.ErrorRate)})"));
            }

            if (f.Latency is { } l)
            {
                Row(h, "latency p50 / p95 / p99 / max", $"{MarkdownReport.Ms(l.P50)} / {MarkdownReport.Ms(l.P95)} / {MarkdownReport.Ms(l.P99)} / {MarkdownReport.Ms(l.Max)}");
            }

            Row(h, "recovery", run.RecoveryTime is { } r ? MarkdownReport.Ms(r.TotalMilliseconds) : "n/a");
            foreach (var fault in run.Faults)
            {
                Row(h, "fault " + fault.Name, (fault.TookEffect ? "took effect; " : "did NOT take effect; ") + string.Join(" ", fault.Evidence));
            }

            foreach (var reason in run.Reasons)
            {
                Row(h, "reason", reason);
            }

            Row(h, "seed", run.Seed.ToString(CultureInfo.InvariantCulture));
            Row(h, "run", run.RunId);
            h.AppendLine("</table>");
            h.Append("<div class=\"chart\" id=\"chart-").Append(report.Anchor).AppendLine("\"></div>");
            h.AppendLine("<p class=\"legend\">Each dot is a request (start time, latency); ✕ marks a request that failed (no response or 5xx); shaded: faults in force; dashed: replica killed (red) and replacement ready (green).</p>");
        }
        else
        {
            h.AppendLine("</table>");
        }

        h.AppendLine("</section>");
    }

    private static void Row(StringBuilder h, string name, string value) =>
        h.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(E(value)).AppendLine("</td></tr>");

    private static string ChartData(ReportModel model)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonReport.Encoder }))
        {
            w.WriteStartObject();
            w.WriteStartArray("charts");
            foreach (var c in model.Cases.Where(c => c.Figures is not null))
            {
                var f = c.Figures!;
                w.WriteStartObject();
                w.WriteString("anchor", c.Anchor);
                w.WriteString("label", c.Case.DisplayName);
                w.WriteNumber("durationMs", f.DurationMs);
                w.WriteStartArray("windows");
                foreach (var window in f.Windows)
                {
                    w.WriteStartObject();
                    w.WriteString("name", window.Name);
                    w.WriteNumber("startMs", window.StartMs);
                    w.WriteNumber("endMs", window.EndMs);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("events");
                foreach (var e in f.Events)
                {
                    w.WriteStartObject();
                    w.WriteNumber("atMs", e.AtMs);
                    w.WriteString("name", e.Name);
                    w.WriteString("subject", e.Subject);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                JsonReport.WriteSamples(w, f.Samples);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    private static string Asset(string name)
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("Killswitch.Chaos.Reporting." + name)
            ?? throw new InvalidOperationException($"The report asset '{name}' is missing from {typeof(HtmlReport).Assembly.GetName().Name}: the build did not embed Reporting/Assets/{name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
