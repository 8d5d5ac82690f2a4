using System.Globalization;

namespace Killswitch.Chaos;

/// <summary>
/// What every fault shares: which instances it acts on (<see cref="Selector"/> and <see cref="Mode"/>) and when
/// (<see cref="StartAfter"/>, <see cref="Duration"/>). Options are validated when the scenario is built.
/// </summary>
public abstract class FaultOptions
{
    private protected FaultOptions(string kind, SelectionMode mode)
    {
        Kind = kind;
        Mode = mode;
    }

    /// <summary>The fault's kind as written in reports and the journal (<c>pod-kill</c>, <c>latency</c> ...).</summary>
    public string Kind { get; }

    /// <summary>A name for reports; defaults to <see cref="Kind"/>. Names are unique within a scenario.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Kubernetes label selector choosing the instances (<c>app=payments</c>). Required: an empty selector would act on
    /// everything, which is never what a fault means.
    /// </summary>
    public string Selector { get; set; } = string.Empty;

    /// <summary>How many of the matched instances are hit. The default depends on the fault.</summary>
    public SelectionMode Mode { get; set; }

    /// <summary>Delay between the workload's start and the injection. Default <see cref="TimeSpan.Zero"/>: inject when the workload starts.</summary>
    public TimeSpan StartAfter { get; set; } = TimeSpan.Zero;

    /// <summary>How long the fault stays in force; <see langword="null"/> (default) = until the workload ends.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>The name used in reports and messages.</summary>
    public string DisplayName => Name ?? Kind;

    internal Selector ParsedSelector { get; private set; } = Chaos.Selector.Parse(string.Empty);

    internal void Validate(List<string> errors, string prefix)
    {
        if (string.IsNullOrWhiteSpace(Selector))
        {
            errors.Add($"{prefix}: Selector is required (for example 'app=payments').");
        }
        else if (Chaos.Selector.TryParse(Selector, out var parsed, out var error))
        {
            ParsedSelector = parsed;
        }
        else
        {
            errors.Add($"{prefix}: Selector '{Selector}' does not parse at position {error.Position}: {error.Problem}.");
        }

        if (Mode is null)
        {
            errors.Add($"{prefix}: Mode is required.");
        }
        else
        {
            Mode.Validate($"{prefix}: Mode", errors);
        }

        if (StartAfter < TimeSpan.Zero)
        {
            errors.Add($"{prefix}: StartAfter must not be negative (was {Format(StartAfter)}).");
        }

        if (Duration is { } duration && duration <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}: Duration must be greater than zero when set (was {Format(duration)}); leave it null to hold the fault until the workload ends.");
        }

        ValidateCore(errors, prefix);
    }

    private protected abstract void ValidateCore(List<string> errors, string prefix);

    private protected static string Format(TimeSpan value) => value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}

/// <summary>
/// Faults on network traffic into the selected instances. With <see cref="From"/> set, only the dependency edge from
/// that service is affected ("latency between checkout and payments only"); otherwise every path into the instances.
/// </summary>
public abstract class NetworkFaultOptions : FaultOptions
{
    private protected NetworkFaultOptions(string kind, SelectionMode mode)
        : base(kind, mode)
    {
    }

    /// <summary>
    /// The calling service whose edge to the selected instances is affected, or <see langword="null"/> (default) for
    /// all traffic into them (the service's own endpoint and every edge).
    /// </summary>
    public string? From { get; set; }
}

/// <summary>Which bytes of a connection a toxic acts on, in Toxiproxy's terms.</summary>
public enum TrafficDirection
{
    /// <summary>From the selected instance back to the caller (responses). Toxiproxy's default.</summary>
    Downstream,

    /// <summary>From the caller to the selected instance (requests).</summary>
    Upstream,

    /// <summary>Both ways.</summary>
    Both,
}
