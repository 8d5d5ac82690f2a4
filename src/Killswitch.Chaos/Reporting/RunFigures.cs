namespace Killswitch.Chaos.Reporting;

/// <summary>
/// The figures of one chaos run, from its timeline: every recorded request (<see cref="ChaosEventNames.Request"/> and
/// <see cref="ChaosEventNames.RequestFailed"/>, the workload's and the HTTP probes'), the fault windows from its
/// <see cref="FaultReport"/>s, and the events worth drawing (kills, restarts, probe failures). Times are milliseconds
/// since the run started.
/// </summary>
internal sealed record RunFigures(
    RequestStats All,
    RequestStats DuringFaults,
    LatencyStats? Latency,
    IReadOnlyList<FaultWindow> Windows,
    IReadOnlyList<RequestSample> Samples,
    IReadOnlyList<MarkedEvent> Events,
    int ProbeChecks,
    IReadOnlyList<ProbeReport> FailedProbes,
    double DurationMs)
{
    /// <summary>Events shown on the chart and listed in report.json besides requests.</summary>
    private static readonly HashSet<string> Marked = new(StringComparer.Ordinal)
    {
        ChaosEventNames.FaultInjected,
        ChaosEventNames.FaultReverted,
        ChaosEventNames.FaultVerified,
        ChaosEventNames.ReplicaDrained,
        ChaosEventNames.ReplicaKilled,
        ChaosEventNames.ReplicaExited,
        ChaosEventNames.ReplicaRestarted,
        ChaosEventNames.ProbeFailed,
    };

    public static RunFigures Create(ChaosRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var start = run.StartedAt;
        double Ms(DateTimeOffset at) => Math.Round((at - start).TotalMilliseconds, 1);

        var samples = new List<RequestSample>();
        var events = new List<MarkedEvent>();
        foreach (var e in run.Timeline)
        {
            if (e.Name is ChaosEventNames.Request or ChaosEventNames.RequestFailed)
            {
                // The timeline stamps a request when it completes; the chart places it where it started.
                var latency = e.Duration ?? TimeSpan.Zero;
                var failed = e.Name == ChaosEventNames.RequestFailed || e.StatusCode >= RequestSample.FirstErrorStatus;
                samples.Add(new RequestSample(Ms(e.Timestamp - latency), Math.Round(latency.TotalMilliseconds, 1), e.StatusCode ?? 0, failed, e.Subject, e.Detail));
            }
            else if (Marked.Contains(e.Name))
            {
                events.Add(new MarkedEvent(Ms(e.Timestamp), e.Name, e.Subject, e.Detail));
            }
        }

        samples.Sort((a, b) => a.AtMs.CompareTo(b.AtMs));
        var end = Ms(run.EndedAt);
        var windows = run.Faults
            .Where(f => f.FirstInjectedAt is not null)
            .Select(f => new FaultWindow(f.Name, f.Kind, Ms(f.FirstInjectedAt!.Value), f.LastRevertedAt is { } reverted ? Ms(reverted) : end, f))
            .ToArray();
        var during = samples.Where(s => windows.Any(w => s.AtMs >= w.StartMs && s.AtMs <= w.EndMs)).ToArray();
        return new RunFigures(
            RequestStats.Of(samples),
            RequestStats.Of(during),
            LatencyStats.Of(samples),
            windows,
            samples,
            events,
            run.Probes.Count,
            [.. run.Probes.Where(p => !p.Passed)],
            end);
    }
}

/// <summary>How many requests, how many failed (no response, or a 5xx), and the share that failed (null without requests).</summary>
internal sealed record RequestStats(int Total, int Errors, double? ErrorRate)
{
    public static RequestStats Of(IReadOnlyCollection<RequestSample> samples)
    {
        var errors = samples.Count(s => s.Failed);
        return new RequestStats(samples.Count, errors, samples.Count == 0 ? null : Math.Round((double)errors / samples.Count, 4));
    }
}

/// <summary>Latency percentiles by the nearest-rank method, over every request with a recorded duration.</summary>
internal sealed record LatencyStats(double P50, double P95, double P99, double Max)
{
    public static LatencyStats? Of(IReadOnlyCollection<RequestSample> samples)
    {
        if (samples.Count == 0)
        {
            return null;
        }

        var sorted = samples.Select(s => s.LatencyMs).Order().ToArray();
        return new LatencyStats(Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted[^1]);
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}

/// <summary>One request: when it started, how long it took, its status (0: no response), whether it counts as an error.</summary>
internal sealed record RequestSample(double AtMs, double LatencyMs, int Status, bool Failed, string? Uri, string? Error)
{
    /// <summary>Statuses from here on count as errors: the service failed, not the caller.</summary>
    public const int FirstErrorStatus = 500;
}

/// <summary>When a fault was in force, from its first injection to its last revert (or the run's end).</summary>
internal sealed record FaultWindow(string Name, string Kind, double StartMs, double EndMs, FaultReport Report);

/// <summary>A timeline event other than a request, in milliseconds since the run started.</summary>
internal sealed record MarkedEvent(double AtMs, string Name, string? Subject, string? Detail);
