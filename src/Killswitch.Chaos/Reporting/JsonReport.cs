using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.Json;

namespace Killswitch.Chaos.Reporting;

/// <summary>Writes report.json: the schema is documented in docs/reports.md and pinned by a snapshot test.</summary>
internal static class JsonReport
{
    /// <summary>Escapes HTML-sensitive characters (<c>&lt; &gt; &amp; ' "</c>) and control characters, not letters of any script.</summary>
    internal static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,

        // Readable text in any script ("300 ms ± 50 ms"), while <, >, & and quotes stay escaped as in every
        // non-relaxed encoder: the same JSON is safe inside the HTML report's <script>.
        Encoder = Encoder,
    };

    public static byte[] Render(ReportModel model, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options with { Indented = indented }))
        {
            Write(w, model);
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter w, ReportModel model)
    {
        w.WriteStartObject();
        w.WriteNumber("schemaVersion", ReportConstants.SchemaVersion);
        w.WriteString("title", model.Title);
        w.WriteString("generatedAt", model.GeneratedAt);
        w.WriteStartObject("summary");
        w.WriteNumber("cases", model.Cases.Count);
        foreach (var outcome in Enum.GetValues<CaseOutcome>())
        {
            w.WriteNumber(Camel(outcome.ToString()), model.Count(outcome));
        }

        w.WriteStartArray("targets");
        foreach (var target in model.Cases.Select(c => c.Case.Target).Distinct(StringComparer.Ordinal))
        {
            w.WriteStringValue(target);
        }

        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartArray("findings");
        foreach (var finding in model.Findings)
        {
            w.WriteStartObject();
            w.WriteString("kind", Camel(finding.Kind.ToString()));
            w.WriteString("test", finding.Test);
            w.WriteString("scenario", finding.Scenario);
            WriteStrings(w, "failing", finding.Failing);
            WriteStrings(w, "passing", finding.Passing);
            w.WriteString("message", finding.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("matrices");
        foreach (var matrix in model.Matrices)
        {
            w.WriteStartObject();
            w.WriteString("test", matrix.Test);
            WriteStrings(w, "variants", matrix.Variants);
            WriteStrings(w, "scenarios", matrix.Scenarios);
            w.WriteStartArray("cells");
            foreach (var cell in matrix.Cells)
            {
                w.WriteStartObject();
                w.WriteString("variant", cell.Variant);
                w.WriteString("scenario", cell.Scenario);
                w.WriteString("outcome", Camel(cell.Case.Case.Outcome.ToString()));
                w.WriteString("caseId", cell.Case.Case.Id);
                WriteNullable(w, "errorRate", cell.Case.Figures?.All.ErrorRate);
                WriteNullable(w, "p95Ms", cell.Case.Figures?.Latency?.P95);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("cases");
        foreach (var c in model.Cases)
        {
            WriteCase(w, c);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCase(Utf8JsonWriter w, CaseReport report)
    {
        var c = report.Case;
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("displayName", c.DisplayName);
        w.WriteString("test", c.Test);
        w.WriteStartObject("variant");
        foreach (var (key, value) in c.Variant)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteString("variantLabel", report.VariantLabel);
        w.WriteString("scenario", c.Scenario);
        w.WriteString("outcome", Camel(c.Outcome.ToString()));
        w.WriteString("message", c.Message);
        w.WriteNumber("durationMs", Math.Round(c.Duration.TotalMilliseconds, 1));
        w.WriteString("target", c.Target);
        if (c.Run is not { } run || report.Figures is not { } figures)
        {
            w.WriteNull("run");
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("run");
        w.WriteString("scenario", run.Scenario);
        w.WriteString("runId", run.RunId);
        w.WriteNumber("seed", run.Seed);
        w.WriteString("verdict", Camel(run.Verdict.ToString()));
        WriteStrings(w, "reasons", run.Reasons);
        w.WriteString("startedAt", run.StartedAt);
        w.WriteString("endedAt", run.EndedAt);
        w.WriteNumber("durationMs", figures.DurationMs);
        WriteNullable(w, "recoveryTimeMs", Ms(run.RecoveryTime));

        w.WriteStartObject("requests");
        WriteStats(w, figures.All);
        w.WriteStartObject("latencyMs");
        WriteNullable(w, "p50", figures.Latency?.P50);
        WriteNullable(w, "p95", figures.Latency?.P95);
        WriteNullable(w, "p99", figures.Latency?.P99);
        WriteNullable(w, "max", figures.Latency?.Max);
        w.WriteEndObject();
        w.WriteStartObject("duringFaults");
        WriteStats(w, figures.DuringFaults);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("faults");
        foreach (var window in figures.Windows)
        {
            WriteFault(w, window.Report, window);
        }

        foreach (var fault in run.Faults.Where(f => f.FirstInjectedAt is null))
        {
            WriteFault(w, fault, null);
        }

        w.WriteEndArray();

        w.WriteStartObject("probes");
        w.WriteNumber("checks", figures.ProbeChecks);
        w.WriteNumber("failed", figures.FailedProbes.Count);
        w.WriteStartArray("failures");
        foreach (var probe in figures.FailedProbes)
        {
            w.WriteStartObject();
            w.WriteString("name", probe.Name);
            w.WriteString("phase", probe.Phase.ToString());
            w.WriteString("at", probe.At);
            w.WriteString("detail", probe.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartArray("events");
        foreach (var e in figures.Events)
        {
            w.WriteStartObject();
            w.WriteNumber("atMs", e.AtMs);
            w.WriteString("name", e.Name);
            w.WriteString("subject", e.Subject);
            w.WriteString("detail", e.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        WriteSamples(w, figures.Samples);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Compact: one <c>[startMs, latencyMs, status]</c> triple per request (status 0: no response). The HTML page's chart reads the same shape.</summary>
    internal static void WriteSamples(Utf8JsonWriter w, IReadOnlyList<RequestSample> samples)
    {
        w.WriteStartArray("samples");
        foreach (var s in samples)
        {
            w.WriteStartArray();
            w.WriteNumberValue(s.AtMs);
            w.WriteNumberValue(s.LatencyMs);
            w.WriteNumberValue(s.Status);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static void WriteFault(Utf8JsonWriter w, FaultReport fault, FaultWindow? window)
    {
        w.WriteStartObject();
        w.WriteString("name", fault.Name);
        w.WriteString("kind", fault.Kind);
        WriteStrings(w, "instances", fault.Instances);
        w.WriteNumber("injections", fault.Injections);
        WriteNullable(w, "firstInjectedAt", fault.FirstInjectedAt);
        WriteNullable(w, "lastRevertedAt", fault.LastRevertedAt);
        WriteNullable(w, "windowStartMs", window?.StartMs);
        WriteNullable(w, "windowEndMs", window?.EndMs);
        w.WriteBoolean("tookEffect", fault.TookEffect);
        WriteStrings(w, "evidence", fault.Evidence);
        WriteNullable(w, "recoveryTimeMs", Ms(fault.RecoveryTime));
        w.WriteEndObject();
    }

    private static void WriteStats(Utf8JsonWriter w, RequestStats stats)
    {
        w.WriteNumber("total", stats.Total);
        w.WriteNumber("errors", stats.Errors);
        WriteNullable(w, "errorRate", stats.ErrorRate);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static double? Ms(TimeSpan? time) => time is { } t ? Math.Round(t.TotalMilliseconds, 1) : null;

    internal static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
