namespace Killswitch.Chaos;

/// <summary>
/// A validated, frozen chaos experiment: faults, steady-state probes, the workload and the seed. Made by
/// <see cref="ChaosScenarioBuilder"/>; run by <see cref="ChaosRunner"/>.
/// </summary>
public sealed class ChaosScenario
{
    internal ChaosScenario(
        string name,
        IReadOnlyList<FaultOptions> faults,
        IReadOnlyList<ProbeOptions> probes,
        Func<ChaosWorkloadContext, CancellationToken, Task>? workload,
        int? seed,
        TimeSpan recoveryTimeout,
        TimeSpan probeInterval)
    {
        Name = name;
        Faults = faults;
        Probes = probes;
        Workload = workload;
        Seed = seed;
        RecoveryTimeout = recoveryTimeout;
        ProbeInterval = probeInterval;
    }

    /// <summary>The scenario's name, used in reports and exceptions.</summary>
    public string Name { get; }

    /// <summary>The faults, in the order added.</summary>
    public IReadOnlyList<FaultOptions> Faults { get; }

    /// <summary>The steady-state probes.</summary>
    public IReadOnlyList<ProbeOptions> Probes { get; }

    /// <summary>The workload; <see langword="null"/> = wait out the faults' durations.</summary>
    public Func<ChaosWorkloadContext, CancellationToken, Task>? Workload { get; }

    /// <summary>The seed for every random choice; <see langword="null"/> = a new one per run (recorded in the result).</summary>
    public int? Seed { get; }

    /// <summary>How long after revert the After probes may take to hold again.</summary>
    public TimeSpan RecoveryTimeout { get; }

    /// <summary>How often During probes are checked, and how often After probes are polled.</summary>
    public TimeSpan ProbeInterval { get; }
}

/// <summary>The workload's view of the system: clients for each service that record into the timeline.</summary>
public sealed class ChaosWorkloadContext
{
    private readonly Func<string, Uri> _endpoints;
    private readonly Func<HttpMessageHandler> _handlerFactory;
    private readonly Task _faultsInjected;

    internal ChaosWorkloadContext(Func<string, Uri> endpoints, Func<HttpMessageHandler> handlerFactory, ChaosTimeline timeline, TimeProvider timeProvider, Task? faultsInjected = null)
    {
        _endpoints = endpoints;
        _handlerFactory = handlerFactory;
        Timeline = timeline;
        TimeProvider = timeProvider;
        _faultsInjected = faultsInjected ?? Task.CompletedTask;
    }

    /// <summary>The run's timeline.</summary>
    public ChaosTimeline Timeline { get; }

    /// <summary>The run's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The stable endpoint of a service.</summary>
    public Uri GetEndpoint(string service) => _endpoints(service);

    /// <summary>
    /// A client whose <see cref="HttpClient.BaseAddress"/> is the service's stable endpoint and whose requests are
    /// recorded in the timeline (latency, status, errors). The caller disposes it.
    /// </summary>
    public HttpClient CreateClient(string service) => new(_handlerFactory(), disposeHandler: true) { BaseAddress = GetEndpoint(service) };

    /// <summary>
    /// Completes once every fault of the scenario has been injected (at once for a scenario without faults; a fault
    /// that could not be injected counts as done, its report says why). The workload starts together with the
    /// injections; a workload that must send traffic while the faults are in force awaits this first: injecting takes
    /// milliseconds on the local target but seconds where a helper container or pod has to start (Docker, Kubernetes).
    /// </summary>
    public Task WaitForFaultsAsync(CancellationToken cancellationToken = default) => _faultsInjected.WaitAsync(cancellationToken);
}
