namespace Killswitch.Chaos;

/// <summary>
/// A steady-state check (Litmus probes). Checked in the phases of <see cref="Phases"/>: before injection (SOT), while
/// faults are in force (OnChaos, every <see cref="ChaosScenario.ProbeInterval"/>), and after revert (EOT), where the
/// runner polls it until it holds or the recovery timeout passes, and the time that took is the recovery time.
/// </summary>
public abstract class ProbeOptions
{
    private protected ProbeOptions()
    {
    }

    /// <summary>Name for reports. Required and unique within a scenario.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>When the probe is checked. Default <see cref="ProbePhases.All"/>.</summary>
    public ProbePhases Phases { get; set; } = ProbeConstants.DefaultPhases;

    /// <summary>How long one check may take before it counts as failed. Default <see cref="ProbeConstants.DefaultTimeout"/>.</summary>
    public TimeSpan Timeout { get; set; } = ProbeConstants.DefaultTimeout;

    internal void Validate(List<string> errors, string prefix)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add($"{prefix}: Name is required.");
        }

        if (Phases == ProbePhases.None || (Phases & ~ProbePhases.All) != 0)
        {
            errors.Add($"{prefix}: Phases must be a combination of Before, During and After (was {Phases}).");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}: Timeout must be greater than zero (was {Timeout.TotalMilliseconds} ms).");
        }

        ValidateCore(errors, prefix);
    }

    private protected abstract void ValidateCore(List<string> errors, string prefix);

    internal abstract ValueTask<ProbeOutcome> CheckAsync(ProbeContext context, CancellationToken cancellationToken);
}

/// <summary>Checks an HTTP endpoint of a service through its stable endpoint: status (and optionally latency).</summary>
public sealed class HttpProbeOptions : ProbeOptions
{
    /// <summary>The service whose stable endpoint is called. Required.</summary>
    public string Service { get; set; } = string.Empty;

    /// <summary>The path to GET. Default <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The status that counts as holding. Default 200.</summary>
    public int ExpectedStatus { get; set; } = 200;

    /// <summary>When set, a slower answer does not hold.</summary>
    public TimeSpan? MaxLatency { get; set; }

    private protected override void ValidateCore(List<string> errors, string prefix)
    {
        if (string.IsNullOrWhiteSpace(Service))
        {
            errors.Add($"{prefix}: Service is required.");
        }

        if (!Path.StartsWith('/'))
        {
            errors.Add($"{prefix}: Path must start with '/' (was '{Path}').");
        }

        if (ExpectedStatus is < 100 or > 599)
        {
            errors.Add($"{prefix}: ExpectedStatus must be an HTTP status between 100 and 599 (was {ExpectedStatus}).");
        }

        if (MaxLatency is { } max && max <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}: MaxLatency must be greater than zero when set.");
        }
    }

    internal override async ValueTask<ProbeOutcome> CheckAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var uri = new Uri(context.GetEndpoint(Service), Path);
        var clock = context.Timeline.TimeProvider;
        var started = clock.GetTimestamp();
        try
        {
            using var response = await context.Http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            var elapsed = clock.GetElapsedTime(started);
            if ((int)response.StatusCode != ExpectedStatus)
            {
                return new ProbeOutcome(false, $"GET {uri} answered {(int)response.StatusCode}, expected {ExpectedStatus}.", (int)response.StatusCode);
            }

            if (MaxLatency is { } max && elapsed > max)
            {
                return new ProbeOutcome(false, $"GET {uri} took {elapsed.TotalMilliseconds:0} ms, more than MaxLatency {max.TotalMilliseconds:0} ms.", (int)response.StatusCode);
            }

            return new ProbeOutcome(true, $"GET {uri} answered {ExpectedStatus} in {elapsed.TotalMilliseconds:0} ms.", (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ProbeOutcome(false, $"GET {uri} failed: {ex.Message}", null);
        }
    }
}

/// <summary>A user predicate as a probe: holds when it returns <see langword="true"/>.</summary>
public sealed class PredicateProbeOptions : ProbeOptions
{
    /// <summary>The check. Required.</summary>
    public Func<ProbeContext, CancellationToken, ValueTask<bool>>? Predicate { get; set; }

    private protected override void ValidateCore(List<string> errors, string prefix)
    {
        if (Predicate is null)
        {
            errors.Add($"{prefix}: Predicate is required.");
        }
    }

    internal override async ValueTask<ProbeOutcome> CheckAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        try
        {
            var holds = await Predicate!(context, cancellationToken).ConfigureAwait(false);
            return new ProbeOutcome(holds, holds ? "Predicate held." : "Predicate returned false.", null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ProbeOutcome(false, $"Predicate threw {ex.GetType().Name}: {ex.Message}", null);
        }
    }
}

/// <summary>When a probe is checked.</summary>
[Flags]
public enum ProbePhases
{
    /// <summary>Never (invalid).</summary>
    None = 0,

    /// <summary>Before injection (Litmus SOT). Failing here makes the run inconclusive: the system was not steady to begin with.</summary>
    Before = 1,

    /// <summary>While faults are in force (Litmus OnChaos). Failing here fails the run.</summary>
    During = 2,

    /// <summary>After revert (Litmus EOT): polled until it holds or the recovery timeout passes. Failing here fails the run.</summary>
    After = 4,

    /// <summary>Before, during and after.</summary>
    All = Before | During | After,
}

/// <summary>Defaults for probes.</summary>
public static class ProbeConstants
{
    /// <summary>Default <see cref="ProbeOptions.Phases"/>.</summary>
    public const ProbePhases DefaultPhases = ProbePhases.All;

    /// <summary>Default <see cref="ProbeOptions.Timeout"/>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
}

/// <summary>What a probe sees: the service endpoints and an HTTP client that records into the timeline.</summary>
public sealed class ProbeContext
{
    private readonly Func<string, Uri> _endpoints;

    internal ProbeContext(HttpClient http, Func<string, Uri> endpoints, ChaosTimeline timeline)
    {
        Http = http;
        _endpoints = endpoints;
        Timeline = timeline;
    }

    /// <summary>A client whose requests are recorded in the timeline.</summary>
    public HttpClient Http { get; }

    /// <summary>The run's timeline.</summary>
    public ChaosTimeline Timeline { get; }

    /// <summary>The stable endpoint of a service.</summary>
    public Uri GetEndpoint(string service) => _endpoints(service);
}

/// <summary>The result of one probe check.</summary>
/// <param name="Passed">Whether the steady state held.</param>
/// <param name="Detail">What was observed.</param>
/// <param name="StatusCode">The HTTP status, for HTTP probes that got an answer.</param>
public sealed record ProbeOutcome(bool Passed, string Detail, int? StatusCode);
