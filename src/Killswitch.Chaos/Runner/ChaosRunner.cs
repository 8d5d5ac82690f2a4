using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Killswitch.Chaos;

/// <summary>
/// Runs a <see cref="ChaosScenario"/> against a target: steady state before → inject → workload (with During probes)
/// → revert → recovery (After probes polled with a deadline) → verdict. Faults are reverted on every path out: normal
/// end, exception, cancellation.
/// </summary>
public sealed class ChaosRunner
{
    private readonly IChaosTarget _target;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<HttpMessageHandler> _primaryHandler;

    /// <summary>Creates a runner for <paramref name="target"/>.</summary>
    public ChaosRunner(IChaosTarget target, ChaosRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        options ??= new ChaosRunnerOptions();
        _target = target;
        _time = options.TimeProvider;
        _logger = options.LoggerFactory?.CreateLogger<ChaosRunner>() ?? NullLogger<ChaosRunner>.Instance;
        _primaryHandler = options.PrimaryHandlerFactory ?? DefaultHandler;
    }

    /// <summary>Runs the scenario once.</summary>
    /// <exception cref="NoMatchingInstancesException">A fault's selector matched no running instance.</exception>
    /// <exception cref="ChaosTargetException">The target cannot inject one of the faults.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; every fault in force was reverted first.</exception>
    public async Task<ChaosRunResult> RunAsync(ChaosScenario scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var seed = scenario.Seed ?? Random.Shared.Next();
        var run = new RunState(scenario, _time.GetUtcNow(), seed, new ChaosTimeline(_time));
        using var activity = ChaosDiagnostics.ActivitySource.StartActivity("Chaos.Run");
        activity?.SetTag("chaos.scenario", scenario.Name);
        activity?.SetTag("chaos.seed", seed);
        activity?.SetTag("chaos.target", _target.Name);

        foreach (var fault in scenario.Faults)
        {
            if (!_target.Supports(fault, out var reason))
            {
                throw new ChaosTargetException($"Target '{_target.Name}' cannot inject fault '{fault.DisplayName}': {reason}")
                {
                    Scenario = scenario.Name,
                    Fault = fault.DisplayName,
                    Target = _target.Name,
                };
            }
        }

        await _target.StartAsync(cancellationToken).ConfigureAwait(false);
        Log.RunStarted(_logger, scenario.Name, seed, _target.Name, _target.RunId);
        run.Timeline.Record(ChaosEventNames.RunStarted, scenario.Name, $"seed {seed} on {_target.Name} ({_target.RunId})");

        using var http = new HttpClient(new ChaosTimelineHandler(run.Timeline, _primaryHandler()), disposeHandler: true);
        var probeContext = new ProbeContext(http, _target.GetEndpoint, run.Timeline);

        foreach (var probe in scenario.Probes.Where(p => p.Phases.HasFlag(ProbePhases.Before)))
        {
            var outcome = await CheckAsync(run, probe, ProbePhases.Before, probeContext, cancellationToken).ConfigureAwait(false);
            if (!outcome.Passed)
            {
                run.Inconclusive($"Steady state did not hold before injection, so no fault was injected: probe '{probe.Name}': {outcome.Detail}");
            }
        }

        if (run.InconclusiveReasons.Count == 0)
        {
            var instances = await _target.GetInstancesAsync(cancellationToken).ConfigureAwait(false);
            var selections = scenario.Faults.Select(f => SelectInstances(scenario, f, instances, run.Random)).ToArray();
            await RunFaultsAsync(run, selections, probeContext, cancellationToken).ConfigureAwait(false);
            await RecoverAsync(run, probeContext, cancellationToken).ConfigureAwait(false);
        }

        var result = run.ToResult(_target, _time.GetUtcNow());
        run.Timeline.Record(ChaosEventNames.RunEnded, scenario.Name, result.Verdict.ToString());
        activity?.SetTag("chaos.verdict", result.Verdict.ToString());
        Log.RunEnded(_logger, scenario.Name, result.Verdict, string.Join(" ", result.Reasons));
        return result;
    }

    private async Task RunFaultsAsync(RunState run, IReadOnlyList<Instance>[] selections, ProbeContext probeContext, CancellationToken cancellationToken)
    {
        var scenario = run.Scenario;
        using var workloadEnded = new CancellationTokenSource();
        using var duringProbesStop = new CancellationTokenSource();
        var context = new ChaosWorkloadContext(_target.GetEndpoint, () => new ChaosTimelineHandler(run.Timeline, _primaryHandler()), run.Timeline, _time, run.FaultsInjected.Task);
        try
        {
            var faultTasks = scenario.Faults.Select(async (f, i) =>
            {
                try
                {
                    await RunFaultAsync(run, f, i, selections[i], workloadEnded.Token, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    // A fault that was never injected (StartAfter outlived the workload, the injection failed) must not
                    // keep a workload waiting in WaitForFaultsAsync.
                    run.MarkInjected(i);
                }
            }).ToArray();
            var duringTask = RunDuringProbesAsync(run, probeContext, duringProbesStop.Token, cancellationToken);
            try
            {
                await RunWorkloadAsync(run, context, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await workloadEnded.CancelAsync().ConfigureAwait(false);
            }

            try
            {
                await Task.WhenAll(faultTasks).ConfigureAwait(false);
            }
            finally
            {
                await duringProbesStop.CancelAsync().ConfigureAwait(false);
                await duringTask.ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever happened above (an exception, cancellation), nothing stays injected.
            foreach (var handle in run.Handles)
            {
                try
                {
                    await handle.RevertAsync(CancellationToken.None).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Revert every handle even when one fails; the failure is logged and fails the run.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.RevertFailed(_logger, handle.Injection.Id, ex);
                    run.Fail($"Fault '{handle.Injection.Fault.DisplayName}' could not be reverted: {ex.Message}");
                }
            }
        }
    }

    private async Task RunWorkloadAsync(RunState run, ChaosWorkloadContext context, CancellationToken cancellationToken)
    {
        if (run.Scenario.Workload is { } workload)
        {
            try
            {
                await workload(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                run.Fail($"The workload threw {ex.GetType().Name}: {ex.Message}");
            }

            return;
        }

        // No workload: the run lasts as long as the longest fault (validated: each then has a Duration).
        var longest = run.Scenario.Faults.Max(f => f.StartAfter + (f.Duration ?? TimeSpan.Zero));
        await Task.Delay(longest, _time, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunFaultAsync(RunState run, FaultOptions fault, int index, IReadOnlyList<Instance> selected, CancellationToken workloadEnded, CancellationToken cancellationToken)
    {
        var report = run.Reports[index];
        if (fault.StartAfter > TimeSpan.Zero)
        {
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(workloadEnded, cancellationToken);
                await Task.Delay(fault.StartAfter, _time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                run.Inconclusive($"Fault '{fault.DisplayName}' was never injected: the workload ended before StartAfter ({fault.StartAfter.TotalMilliseconds:0} ms).");
                return;
            }
        }

        using var hold = fault.Duration is { } duration
            ? new CancellationTokenSource(duration, _time)
            : new CancellationTokenSource();
        using var holdOrEnd = CancellationTokenSource.CreateLinkedTokenSource(hold.Token, workloadEnded);
        try
        {
            if (fault is PodKillOptions podKill)
            {
                await RunPodKillAsync(run, podKill, index, selected, holdOrEnd.Token, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var handle = await InjectAsync(run, fault, index, selected, cancellationToken).ConfigureAwait(false);
                await Waits.UntilCancelledAsync(holdOrEnd.Token).WaitAsync(cancellationToken).ConfigureAwait(false);
                await VerifyAndRevertAsync(run, report, handle, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ChaosException ex) when (!cancellationToken.IsCancellationRequested)
        {
            run.Fail($"Fault '{fault.DisplayName}' failed: {ex.Message}");
        }
    }

    private async Task RunPodKillAsync(RunState run, PodKillOptions fault, int index, IReadOnlyList<Instance> selected, CancellationToken holdOrEnd, CancellationToken cancellationToken)
    {
        var report = run.Reports[index];
        var victims = selected;
        while (true)
        {
            var batches = fault.Sequence == PodKillSequence.Serial ? victims.Select(v => (IReadOnlyList<Instance>)[v]) : [victims];
            foreach (var batch in batches)
            {
                var handle = await InjectAsync(run, fault, index, batch, cancellationToken).ConfigureAwait(false);
                await VerifyAndRevertAsync(run, report, handle, cancellationToken).ConfigureAwait(false);
            }

            if (fault.Interval is not { } interval || holdOrEnd.IsCancellationRequested)
            {
                return;
            }

            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(holdOrEnd, cancellationToken);
                await Task.Delay(interval, _time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // Litmus re-selects at every interval: the replicas killed last time have been replaced by new ones.
            var instances = await _target.GetInstancesAsync(cancellationToken).ConfigureAwait(false);
            victims = SelectInstances(run.Scenario, fault, instances, run.Random);
        }
    }

    private async Task<IFaultHandle> InjectAsync(RunState run, FaultOptions fault, int index, IReadOnlyList<Instance> instances, CancellationToken cancellationToken)
    {
        var report = run.Reports[index];
        var id = string.Create(CultureInfo.InvariantCulture, $"{fault.Kind}-{index + 1}-{report.Injections + 1}");
        var injection = new FaultInjection(id, fault, instances, run.Random, run.Timeline);
        var handle = await _target.InjectAsync(injection, cancellationToken).ConfigureAwait(false);
        run.Handles.Add(handle);
        run.MarkInjected(index);
        var names = string.Join(", ", instances.Select(i => i.Id));
        report.Injected(_time.GetUtcNow(), instances);
        run.Timeline.Record(ChaosEventNames.FaultInjected, fault.DisplayName, $"{fault.Kind} on {names}");
        ChaosDiagnostics.FaultsInjected.Add(1, new KeyValuePair<string, object?>("chaos.fault", fault.Kind));
        Log.FaultInjected(_logger, fault.DisplayName, names);
        Interlocked.Increment(ref run.FaultsInForce);
        return handle;
    }

    private async Task VerifyAndRevertAsync(RunState run, FaultReportBuilder report, IFaultHandle handle, CancellationToken cancellationToken)
    {
        var fault = handle.Injection.Fault;
        FaultProof proof;
        try
        {
            proof = await handle.VerifyAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await handle.RevertAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Decrement(ref run.FaultsInForce);
            report.Reverted(_time.GetUtcNow());
            run.Timeline.Record(ChaosEventNames.FaultReverted, fault.DisplayName);
            ChaosDiagnostics.FaultsReverted.Add(1, new KeyValuePair<string, object?>("chaos.fault", fault.Kind));
            Log.FaultReverted(_logger, fault.DisplayName);
        }

        report.Proven(proof);
        run.Timeline.Record(ChaosEventNames.FaultVerified, fault.DisplayName, (proof.TookEffect ? "took effect: " : "did not take effect: ") + proof.Message, proof.RecoveryTime);
        if (!proof.TookEffect)
        {
            run.Inconclusive($"Fault '{fault.DisplayName}' did not take effect: {proof.Message}");
        }
    }

    private async Task RunDuringProbesAsync(RunState run, ProbeContext context, CancellationToken stop, CancellationToken cancellationToken)
    {
        var probes = run.Scenario.Probes.Where(p => p.Phases.HasFlag(ProbePhases.During)).ToArray();
        if (probes.Length == 0)
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, cancellationToken);
        try
        {
            while (!linked.IsCancellationRequested)
            {
                await Task.Delay(run.Scenario.ProbeInterval, _time, linked.Token).ConfigureAwait(false);
                if (Volatile.Read(ref run.FaultsInForce) <= 0)
                {
                    continue;
                }

                foreach (var probe in probes)
                {
                    // A check that began while the faults were in force finishes (within its Timeout) when they end:
                    // cancelling it would record its request as a failed one in the traffic figures.
                    var outcome = await CheckAsync(run, probe, ProbePhases.During, context, cancellationToken).ConfigureAwait(false);
                    if (!outcome.Passed)
                    {
                        run.FailOnce(probe.Name, $"Probe '{probe.Name}' did not hold while faults were in force: {outcome.Detail}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The faults ended; During probes stop here.
        }
    }

    private async Task RecoverAsync(RunState run, ProbeContext context, CancellationToken cancellationToken)
    {
        var probes = run.Scenario.Probes.Where(p => p.Phases.HasFlag(ProbePhases.After)).ToArray();
        var faultsEnded = run.Reports.Select(r => r.LastRevertedAt).Where(t => t.HasValue).Select(t => t!.Value).DefaultIfEmpty(_time.GetUtcNow()).Max();
        if (probes.Length == 0)
        {
            run.RecoveryTime = run.Reports.Select(r => r.RecoveryTime).Where(t => t.HasValue).Max();
            return;
        }

        var last = new Dictionary<ProbeOptions, ProbeOutcome>();
        var recovered = await Waits.UntilAsync(
            async ct =>
            {
                var all = true;
                foreach (var probe in probes)
                {
                    var outcome = await CheckAsync(run, probe, ProbePhases.After, context, ct).ConfigureAwait(false);
                    last[probe] = outcome;
                    all &= outcome.Passed;
                }

                return all;
            },
            run.Scenario.ProbeInterval,
            run.Scenario.RecoveryTimeout,
            _time,
            cancellationToken).ConfigureAwait(false);

        if (recovered)
        {
            var recovery = _time.GetUtcNow() - faultsEnded;
            run.RecoveryTime = recovery < TimeSpan.Zero ? TimeSpan.Zero : recovery;
            ChaosDiagnostics.RecoveryTime.Record(run.RecoveryTime.Value.TotalMilliseconds);
            return;
        }

        foreach (var (probe, outcome) in last.Where(p => !p.Value.Passed))
        {
            run.Fail($"Probe '{probe.Name}' did not hold again within RecoveryTimeout ({run.Scenario.RecoveryTimeout.TotalSeconds:0.#} s) after the faults ended: {outcome.Detail}");
        }
    }

    private async Task<ProbeOutcome> CheckAsync(RunState run, ProbeOptions probe, ProbePhases phase, ProbeContext context, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(probe.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        ProbeOutcome outcome;
        try
        {
            outcome = await probe.CheckAsync(context, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = new ProbeOutcome(false, $"No answer within the probe's Timeout ({probe.Timeout.TotalMilliseconds:0} ms).", null);
        }

        run.Probe(new ProbeReport(probe.Name, phase, _time.GetUtcNow(), outcome.Passed, outcome.Detail));
        run.Timeline.Record(outcome.Passed ? ChaosEventNames.ProbePassed : ChaosEventNames.ProbeFailed, probe.Name, $"{phase}: {outcome.Detail}", statusCode: outcome.StatusCode);
        return outcome;
    }

    private IReadOnlyList<Instance> SelectInstances(ChaosScenario scenario, FaultOptions fault, IReadOnlyList<Instance> instances, Random random)
    {
        var running = instances.Where(i => i.State != InstanceState.Terminated).ToArray();
        var matched = running.Where(i => fault.ParsedSelector.Matches(i.Labels)).ToArray();
        if (matched.Length == 0)
        {
            var existing = running.Select(i => i.FormatLabels()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            throw new NoMatchingInstancesException(fault.Selector, existing)
            {
                Scenario = scenario.Name,
                Fault = fault.DisplayName,
                Target = _target.Name,
            };
        }

        lock (random)
        {
            return fault.Mode.Select(matched, random);
        }
    }

    private static SocketsHttpHandler DefaultHandler() => new()
    {
        // Short-lived pooled connections: the balancing proxy picks a replica per connection, so traffic reaches
        // replacements soon after a PodKill, as it would through a Kubernetes Service with keep-alive.
        PooledConnectionLifetime = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
        UseProxy = false,
    };

    private sealed class RunState(ChaosScenario scenario, DateTimeOffset startedAt, int seed, ChaosTimeline timeline)
    {
        private readonly object _gate = new();
        private readonly List<string> _failures = [];
        private readonly List<string> _inconclusive = [];
        private readonly List<ProbeReport> _probes = [];
        private readonly HashSet<string> _failedOnce = new(StringComparer.Ordinal);
        private readonly int[] _injectedOnce = new int[scenario.Faults.Count];
        private int _faultsPending = scenario.Faults.Count;

#pragma warning disable CA1051, SA1401 // A counter updated with Interlocked needs to be a field.
        public int FaultsInForce;
#pragma warning restore CA1051, SA1401

        public ChaosScenario Scenario { get; } = scenario;

        public ChaosTimeline Timeline { get; } = timeline;

        public Random Random { get; } = new(seed);

        /// <summary>Completes once every fault has been injected once (or given up); at once for a scenario without faults.</summary>
        public TaskCompletionSource FaultsInjected { get; } = NewFaultsInjected(scenario.Faults.Count);

        public void MarkInjected(int index)
        {
            if (Interlocked.Exchange(ref _injectedOnce[index], 1) == 0 && Interlocked.Decrement(ref _faultsPending) == 0)
            {
                FaultsInjected.TrySetResult();
            }
        }

        private static TaskCompletionSource NewFaultsInjected(int faults)
        {
            var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (faults == 0)
            {
                source.TrySetResult();
            }

            return source;
        }

        public System.Collections.Concurrent.ConcurrentBag<IFaultHandle> Handles { get; } = [];

        public FaultReportBuilder[] Reports { get; } = [.. scenario.Faults.Select(f => new FaultReportBuilder(f))];

        public TimeSpan? RecoveryTime { get; set; }

        public IReadOnlyList<string> InconclusiveReasons
        {
            get
            {
                lock (_gate)
                {
                    return [.. _inconclusive];
                }
            }
        }

        public void Fail(string reason)
        {
            lock (_gate)
            {
                _failures.Add(reason);
            }
        }

        public void FailOnce(string key, string reason)
        {
            lock (_gate)
            {
                if (_failedOnce.Add(key))
                {
                    _failures.Add(reason);
                }
            }
        }

        public void Inconclusive(string reason)
        {
            lock (_gate)
            {
                _inconclusive.Add(reason);
            }
        }

        public void Probe(ProbeReport report)
        {
            lock (_gate)
            {
                _probes.Add(report);
            }
        }

        public ChaosRunResult ToResult(IChaosTarget target, DateTimeOffset endedAt)
        {
            lock (_gate)
            {
                var verdict = _failures.Count > 0 ? Verdict.Fail : _inconclusive.Count > 0 ? Verdict.Inconclusive : Verdict.Pass;
                return new ChaosRunResult(
                    Scenario.Name,
                    target.Name,
                    target.RunId,
                    seed,
                    verdict,
                    [.. _failures, .. _inconclusive],
                    [.. Reports.Select(r => r.Build())],
                    [.. _probes],
                    RecoveryTime,
                    Timeline.Events,
                    startedAt,
                    endedAt);
            }
        }
    }

    private sealed class FaultReportBuilder(FaultOptions fault)
    {
        private readonly object _gate = new();
        private readonly List<string> _instances = [];
        private readonly List<string> _evidence = [];
        private DateTimeOffset? _first;
        private bool _tookEffect = true;
        private bool _proven;

        public int Injections { get; private set; }

        public DateTimeOffset? LastRevertedAt { get; private set; }

        public TimeSpan? RecoveryTime { get; private set; }

        public void Injected(DateTimeOffset at, IReadOnlyList<Instance> instances)
        {
            lock (_gate)
            {
                Injections++;
                _first ??= at;
                _instances.AddRange(instances.Select(i => i.Id));
            }
        }

        public void Reverted(DateTimeOffset at)
        {
            lock (_gate)
            {
                LastRevertedAt = at;
            }
        }

        public void Proven(FaultProof proof)
        {
            lock (_gate)
            {
                _proven = true;
                _tookEffect &= proof.TookEffect;
                _evidence.Add(proof.Message);
                if (proof.RecoveryTime is { } recovery && (RecoveryTime is null || recovery > RecoveryTime))
                {
                    RecoveryTime = recovery;
                }
            }
        }

        public FaultReport Build()
        {
            lock (_gate)
            {
                Debug.Assert(Injections == 0 || _proven || _evidence.Count == 0, "A proven fault has evidence.");
                return new FaultReport(fault.DisplayName, fault.Kind, [.. _instances], Injections, _first, LastRevertedAt, _proven && _tookEffect, [.. _evidence], RecoveryTime);
            }
        }
    }
}
