using Killswitch.Chaos;
using Killswitch.Flags.Matrix;

namespace Killswitch.Xunit;

/// <summary>
/// What a chaos test's body sees: the variant served, the faults in force, the service endpoints, and HTTP clients
/// whose requests (latency, status, errors) are recorded in the case's timeline and report.
/// </summary>
public sealed class ChaosContext
{
    private readonly ChaosWorkloadContext _workload;

    internal ChaosContext(ChaosCase chaosCase, IReadOnlyList<FaultOptions> faults, ChaosWorkloadContext workload, string target, Uri? flagService, CancellationToken cancellationToken)
    {
        Case = chaosCase;
        Faults = faults;
        _workload = workload;
        Target = target;
        FlagService = flagService;
        CancellationToken = cancellationToken;
    }

    /// <summary>The case: test, variant, scenario, id.</summary>
    public ChaosCase Case { get; }

    /// <summary>The variants served, or null when the test varies no flag.</summary>
    public VariantAssignment? Variant => Case.Variant;

    /// <summary>The scenario's name: <c>baseline</c>, <c>PodKill app=payments</c> ...</summary>
    public string Scenario => Case.Scenario.Name;

    /// <summary>Whether no fault is injected in this case.</summary>
    public bool IsBaseline => Case.Scenario.IsBaseline;

    /// <summary>The faults in force while the body runs (empty for the baseline).</summary>
    public IReadOnlyList<FaultOptions> Faults { get; }

    /// <summary>The target's name: <c>local</c>, <c>docker</c>, <c>kubernetes</c>.</summary>
    public string Target { get; }

    /// <summary>The OFREP server's base URL when variants are delivered over OFREP, else null.</summary>
    public Uri? FlagService { get; }

    /// <summary>The case's timeline: add events of your own with <see cref="ChaosTimeline.Record"/>.</summary>
    public ChaosTimeline Timeline => _workload.Timeline;

    /// <summary>Cancelled when the run is cancelled.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The variant served for <paramref name="flagKey"/>.</summary>
    /// <exception cref="ArgumentException">The case does not vary that flag.</exception>
    public string GetVariant(string flagKey) =>
        Variant?.FindVariant(flagKey) ?? throw new ArgumentException(
            $"This case does not vary flag '{flagKey}'; it varies {(Variant is null ? "no flag" : string.Join(", ", Variant.Variants.Select(v => v.Key)))}. Add [FlagVariants(\"{flagKey}\")] to the test.",
            nameof(flagKey));

    /// <summary>The stable endpoint of a service (its balancing proxy, Service, or published port).</summary>
    public Uri GetEndpoint(string service) => _workload.GetEndpoint(service);

    /// <summary>
    /// A client whose base address is the service's stable endpoint and whose requests are recorded in the timeline:
    /// the report's error rate and latency percentiles come from them. The caller disposes it.
    /// </summary>
    public HttpClient CreateClient(string service) => _workload.CreateClient(service);

    /// <summary>
    /// Completes once every fault of the case is in force (at once for the baseline). The body starts together with the
    /// injections: a body that measures the system <em>under</em> the fault awaits this first, because injecting takes
    /// seconds where a helper container or pod has to start (Docker, Kubernetes) and milliseconds locally.
    /// </summary>
    public Task WaitForFaultsAsync() => _workload.WaitForFaultsAsync(CancellationToken);
}
