namespace Killswitch.Chaos;

/// <summary>
/// What happened during a run, in order: faults injected and reverted, replicas killed and restarted, probe results,
/// request latencies and errors. Timestamps come from the run's <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
public sealed class ChaosTimeline
{
    private readonly List<TimelineEvent> _events = [];
    private readonly object _gate = new();

    /// <summary>Creates an empty timeline.</summary>
    public ChaosTimeline(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock events are stamped with.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>A snapshot of the events so far.</summary>
    public IReadOnlyList<TimelineEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Records an event stamped now.</summary>
    /// <param name="name">One of <see cref="ChaosEventNames"/>.</param>
    /// <param name="subject">What it is about: a fault name, an instance id, a probe name, a request URI.</param>
    /// <param name="detail">A sentence for people.</param>
    /// <param name="duration">A latency, a replacement time.</param>
    /// <param name="statusCode">An HTTP status, for requests and HTTP probes.</param>
    public TimelineEvent Record(string name, string? subject = null, string? detail = null, TimeSpan? duration = null, int? statusCode = null)
    {
        var e = new TimelineEvent(TimeProvider.GetUtcNow(), name, subject, detail, duration, statusCode);
        lock (_gate)
        {
            _events.Add(e);
        }

        return e;
    }
}

/// <summary>One entry of a <see cref="ChaosTimeline"/>.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Name">One of <see cref="ChaosEventNames"/>.</param>
/// <param name="Subject">What it is about.</param>
/// <param name="Detail">A sentence for people.</param>
/// <param name="Duration">A latency or elapsed time, when one applies.</param>
/// <param name="StatusCode">An HTTP status, when one applies.</param>
public sealed record TimelineEvent(DateTimeOffset Timestamp, string Name, string? Subject, string? Detail, TimeSpan? Duration, int? StatusCode);

/// <summary>Dotted event names used in the timeline, the log and telemetry.</summary>
public static class ChaosEventNames
{
    /// <summary>A run started.</summary>
    public const string RunStarted = "Chaos.RunStarted";

    /// <summary>A run ended with a verdict.</summary>
    public const string RunEnded = "Chaos.RunEnded";

    /// <summary>A fault was put in force.</summary>
    public const string FaultInjected = "Chaos.FaultInjected";

    /// <summary>A fault was removed.</summary>
    public const string FaultReverted = "Chaos.FaultReverted";

    /// <summary>A fault's proof came back (detail says whether it took effect).</summary>
    public const string FaultVerified = "Chaos.FaultVerified";

    /// <summary>A replica was taken out of its service before a graceful stop: it refuses new connections, established ones go on.</summary>
    public const string ReplicaDrained = "Chaos.ReplicaDrained";

    /// <summary>A replica was killed by a fault.</summary>
    public const string ReplicaKilled = "Chaos.ReplicaKilled";

    /// <summary>A replica process exited (killed or crashed).</summary>
    public const string ReplicaExited = "Chaos.ReplicaExited";

    /// <summary>A replacement replica became ready; duration = time since the old one was killed or exited.</summary>
    public const string ReplicaRestarted = "Chaos.ReplicaRestarted";

    /// <summary>A steady-state probe held.</summary>
    public const string ProbePassed = "Chaos.ProbePassed";

    /// <summary>A steady-state probe did not hold.</summary>
    public const string ProbeFailed = "Chaos.ProbeFailed";

    /// <summary>A workload request completed (duration = latency, status code set).</summary>
    public const string Request = "Chaos.Request";

    /// <summary>A workload request failed without a response.</summary>
    public const string RequestFailed = "Chaos.RequestFailed";

    /// <summary>The sweep removed leftovers of a dead session.</summary>
    public const string Swept = "Chaos.Swept";
}
