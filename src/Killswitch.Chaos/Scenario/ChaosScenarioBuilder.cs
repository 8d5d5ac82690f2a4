namespace Killswitch.Chaos;

/// <summary>
/// Builds a <see cref="ChaosScenario"/>: <c>Add*</c> adds a fault or probe, <c>With*</c> sets a value, <see cref="Build"/>
/// validates everything at once and freezes. Options must not be changed after <see cref="Build"/>.
/// </summary>
public sealed class ChaosScenarioBuilder
{
    private readonly List<FaultOptions> _faults = [];
    private readonly List<ProbeOptions> _probes = [];
    private Func<ChaosWorkloadContext, CancellationToken, Task>? _workload;
    private int? _seed;
    private TimeSpan _recoveryTimeout = ScenarioConstants.DefaultRecoveryTimeout;
    private TimeSpan _probeInterval = ScenarioConstants.DefaultProbeInterval;

    /// <summary>Starts a scenario called <paramref name="name"/>.</summary>
    public ChaosScenarioBuilder(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The scenario's name.</summary>
    public string Name { get; }

    /// <summary>Adds any fault.</summary>
    public ChaosScenarioBuilder AddFault(FaultOptions fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        _faults.Add(fault);
        return this;
    }

    /// <summary>Adds a PodKill.</summary>
    public ChaosScenarioBuilder AddPodKill(PodKillOptions options) => AddFault(options);

    /// <summary>Adds a Latency.</summary>
    public ChaosScenarioBuilder AddLatency(LatencyOptions options) => AddFault(options);

    /// <summary>Adds a ResetPeer.</summary>
    public ChaosScenarioBuilder AddResetPeer(ResetPeerOptions options) => AddFault(options);

    /// <summary>Adds a Blackhole.</summary>
    public ChaosScenarioBuilder AddBlackhole(BlackholeOptions options) => AddFault(options);

    /// <summary>Adds a Bandwidth limit.</summary>
    public ChaosScenarioBuilder AddBandwidth(BandwidthOptions options) => AddFault(options);

    /// <summary>Adds any probe.</summary>
    public ChaosScenarioBuilder AddProbe(ProbeOptions probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        _probes.Add(probe);
        return this;
    }

    /// <summary>Adds an HTTP probe.</summary>
    public ChaosScenarioBuilder AddHttpProbe(HttpProbeOptions options) => AddProbe(options);

    /// <summary>Adds a predicate probe.</summary>
    public ChaosScenarioBuilder AddPredicateProbe(string name, Func<ProbeContext, CancellationToken, ValueTask<bool>> predicate, ProbePhases phases = ProbeConstants.DefaultPhases) =>
        AddProbe(new PredicateProbeOptions { Name = name, Predicate = predicate, Phases = phases });

    /// <summary>Sets the workload: faults in force "until the workload ends" are reverted when it returns.</summary>
    public ChaosScenarioBuilder WithWorkload(Func<ChaosWorkloadContext, CancellationToken, Task> workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _workload = workload;
        return this;
    }

    /// <summary>Fixes the seed so a run replays exactly (use the <see cref="ChaosRunResult.Seed"/> of a failing run).</summary>
    public ChaosScenarioBuilder WithSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Sets how long After probes may take to hold again. Default <see cref="ScenarioConstants.DefaultRecoveryTimeout"/>.</summary>
    public ChaosScenarioBuilder WithRecoveryTimeout(TimeSpan timeout)
    {
        _recoveryTimeout = timeout;
        return this;
    }

    /// <summary>Sets how often probes are checked during faults and polled after. Default <see cref="ScenarioConstants.DefaultProbeInterval"/>.</summary>
    public ChaosScenarioBuilder WithProbeInterval(TimeSpan interval)
    {
        _probeInterval = interval;
        return this;
    }

    /// <summary>Validates every option and freezes the scenario.</summary>
    /// <exception cref="ChaosValidationException">Lists every problem found.</exception>
    public ChaosScenario Build()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add("Scenario name is required.");
        }

        // A scenario without faults is a baseline: the same steady state and workload with nothing injected, so a
        // report compares a fault's run with a run under the same conditions. It needs a workload to last for.
        if (_faults.Count == 0 && _workload is null)
        {
            errors.Add("A scenario needs at least one fault (AddPodKill, AddLatency, ...), or a workload (WithWorkload) to run as a baseline without faults.");
        }

        for (var i = 0; i < _faults.Count; i++)
        {
            var fault = _faults[i];
            fault.Validate(errors, $"Fault #{i + 1} '{fault.DisplayName}'");
            if (_workload is null && fault.Duration is null)
            {
                errors.Add($"Fault #{i + 1} '{fault.DisplayName}': Duration is required when the scenario has no workload (WithWorkload), since 'until the workload ends' would be at once.");
            }
        }

        foreach (var duplicate in _faults.GroupBy(f => f.DisplayName, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"Fault name '{duplicate.Key}' is used {duplicate.Count()} times; set Name so that each fault is told apart in reports.");
        }

        for (var i = 0; i < _probes.Count; i++)
        {
            _probes[i].Validate(errors, $"Probe #{i + 1} '{_probes[i].Name}'");
        }

        foreach (var duplicate in _probes.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1 && !string.IsNullOrWhiteSpace(g.Key)))
        {
            errors.Add($"Probe name '{duplicate.Key}' is used {duplicate.Count()} times.");
        }

        if (_recoveryTimeout <= TimeSpan.Zero)
        {
            errors.Add($"RecoveryTimeout must be greater than zero (was {_recoveryTimeout.TotalMilliseconds} ms).");
        }

        if (_probeInterval <= TimeSpan.Zero)
        {
            errors.Add($"ProbeInterval must be greater than zero (was {_probeInterval.TotalMilliseconds} ms).");
        }

        if (errors.Count > 0)
        {
            throw new ChaosValidationException($"Scenario '{Name}'", errors) { Scenario = Name };
        }

        return new ChaosScenario(Name, [.. _faults], [.. _probes], _workload, _seed, _recoveryTimeout, _probeInterval);
    }
}

/// <summary>Scenario defaults.</summary>
public static class ScenarioConstants
{
    /// <summary>Default recovery timeout.</summary>
    public static readonly TimeSpan DefaultRecoveryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Default probe interval.</summary>
    public static readonly TimeSpan DefaultProbeInterval = TimeSpan.FromMilliseconds(500);
}
