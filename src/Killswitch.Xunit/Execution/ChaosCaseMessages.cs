using System.Globalization;
using System.Text;
using Killswitch.Chaos;
using Killswitch.Chaos.Reporting;

namespace Killswitch.Xunit;

/// <summary>The texts people read: failure messages, progress lines, timeline files.</summary>
public static class ChaosCaseMessages
{
    /// <summary>
    /// Why a case did not pass: variant and scenario first, then every reason, what the steady-state probes saw in each
    /// phase, each fault's proof, the seed to replay it, and where the timeline and the report are.
    /// </summary>
    public static string Failure(ChaosCase chaosCase, ChaosRunResult run, string? timelinePath, string reportDirectory)
    {
        ArgumentNullException.ThrowIfNull(chaosCase);
        ArgumentNullException.ThrowIfNull(run);
        var sb = new StringBuilder();
        var verdict = run.Verdict == Verdict.Inconclusive ? "inconclusive" : "failed";
        sb.Append(CultureInfo.InvariantCulture, $"Chaos case {verdict}: variant {chaosCase.VariantName} under {(chaosCase.Scenario.IsBaseline ? "the baseline (no fault)" : "fault " + chaosCase.Scenario.Name)}, on target {run.Target}.");
        foreach (var reason in run.Reasons)
        {
            sb.AppendLine().Append("  - ").Append(reason);
        }

        sb.AppendLine().Append("Steady state:");
        foreach (var phase in new[] { ProbePhases.Before, ProbePhases.During, ProbePhases.After })
        {
            var checks = run.Probes.Where(p => p.Phase == phase).ToArray();
            if (checks.Length == 0)
            {
                continue;
            }

            var failed = checks.Where(p => !p.Passed).ToArray();
            var shown = failed.Length > 0 ? failed[^1] : checks[^1];
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"  {phase.ToString().ToLowerInvariant()}: {checks.Length - failed.Length} of {checks.Length} checks held; {(failed.Length > 0 ? "last failure" : "last")}: '{shown.Name}' {shown.Detail}");
        }

        foreach (var fault in run.Faults)
        {
            sb.AppendLine().Append(CultureInfo.InvariantCulture, $"Fault {fault.Name}: {(fault.TookEffect ? "took effect" : "not proven")}{(fault.Instances.Count > 0 ? " on " + string.Join(", ", fault.Instances) : "")}. {string.Join(" ", fault.Evidence)}");
        }

        var (requests, errors, p95) = Traffic(run);
        sb.AppendLine().Append(CultureInfo.InvariantCulture, $"Traffic: {requests} requests, {errors} errors{(p95 is { } p ? $", p95 {p.TotalMilliseconds:0} ms" : "")}.");
        sb.AppendLine().Append(CultureInfo.InvariantCulture, $"Replay with {ChaosHost.SeedVariable}={run.Seed}.");
        if (timelinePath is not null)
        {
            sb.AppendLine().Append("Timeline: ").Append(timelinePath);
        }

        sb.AppendLine().Append("Report (written when the test run ends): ").Append(Path.Combine(reportDirectory, "report.html"));
        return sb.ToString();
    }

    /// <summary>One line per case for the console: verdict, name, time, traffic.</summary>
    public static string Progress(ChaosCaseResult result, string displayName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var label = result.Outcome switch
        {
            CaseOutcome.Passed => "PASS",
            CaseOutcome.Failed => "FAIL",
            CaseOutcome.Inconclusive => "INCONCLUSIVE",
            _ => "SKIP",
        };
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"[killswitch] {label} {displayName} ({result.Duration.TotalSeconds:0.0} s");
        if (result.Run is { } run)
        {
            var (requests, errors, p95) = Traffic(run);
            line.Append(CultureInfo.InvariantCulture, $", {requests} requests, {errors} errors");
            if (p95 is { } p)
            {
                line.Append(CultureInfo.InvariantCulture, $", p95 {p.TotalMilliseconds:0} ms");
            }

            if (run.RecoveryTime is { } recovery)
            {
                line.Append(CultureInfo.InvariantCulture, $", recovered in {recovery.TotalMilliseconds:0} ms");
            }
        }

        line.Append(')');
        if (result.Outcome == CaseOutcome.Skipped && result.Message is not null)
        {
            line.Append(": ").Append(result.Message);
        }

        return line.ToString();
    }

    /// <summary>The case's timeline as text, one event per line, time relative to the run's start.</summary>
    public static string Timeline(ChaosCase chaosCase, ChaosRunResult run)
    {
        ArgumentNullException.ThrowIfNull(chaosCase);
        ArgumentNullException.ThrowIfNull(run);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# {chaosCase.Id}{Environment.NewLine}# target {run.Target} ({run.RunId}), seed {run.Seed}, verdict {run.Verdict}, started {run.StartedAt:O}{Environment.NewLine}");
        foreach (var e in run.Timeline)
        {
            var offset = (e.Timestamp - run.StartedAt).TotalSeconds;
            sb.Append(CultureInfo.InvariantCulture, $"+{offset:0.000}s {e.Name}");
            if (e.Subject is not null)
            {
                sb.Append(' ').Append(e.Subject);
            }

            if (e.StatusCode is { } status)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {status}");
            }

            if (e.Duration is { } duration)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {duration.TotalMilliseconds:0.#} ms");
            }

            if (e.Detail is not null)
            {
                sb.Append(" — ").Append(e.Detail);
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    /// <summary>A file name for the case: its id with every character other than letters, digits, '.', '-' and '_' replaced.</summary>
    public static string FileName(ChaosCase chaosCase)
    {
        ArgumentNullException.ThrowIfNull(chaosCase);
        var id = chaosCase.Id;
        var sb = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return sb.ToString();
    }

    /// <summary>Requests the workload sent (through recorded clients), how many failed (no answer or 5xx), and the p95 latency.</summary>
    public static (int Requests, int Errors, TimeSpan? P95) Traffic(ChaosRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var requests = run.Timeline.Where(e => e.Name is ChaosEventNames.Request or ChaosEventNames.RequestFailed).ToArray();
        var errors = requests.Count(e => e.Name == ChaosEventNames.RequestFailed || e.StatusCode >= 500);
        var latencies = requests.Where(e => e.Name == ChaosEventNames.Request && e.Duration.HasValue).Select(e => e.Duration!.Value).Order().ToArray();
        TimeSpan? p95 = latencies.Length == 0 ? null : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(latencies.Length * 0.95) - 1)];
        return (requests.Length, errors, p95);
    }
}
