using System.Globalization;
using Killswitch.Chaos;
using Killswitch.Flags;
using Killswitch.Flags.Delivery;
using Killswitch.Flags.Matrix;
using Killswitch.Chaos.Reporting;

namespace Killswitch.Xunit;

/// <summary>
/// The system under test for a whole test assembly, and the per-case lifecycle on it: start (once) or reuse the
/// system, select the case's variant (OFREP switch, or restart with environment variables), wait for steady state,
/// then <see cref="ChaosRunner"/>: steady state before, inject, the test body as the workload, revert, recovery;
/// then the verdict and the case's timeline. One case at a time: faults of two cases on one system would mix.
/// Framework-agnostic: the xunit adapter calls <see cref="RunAsync"/> with the test body.
/// </summary>
public sealed class ChaosHost : IAsyncDisposable
{
    /// <summary>The environment variable fixing every case's seed (replay a failing case with its seed).</summary>
    public const string SeedVariable = "KILLSWITCH_SEED";

    private readonly ChaosSystem _system;
    private readonly FlagManifest _manifest;
    private readonly IChaosTargetFactory _factory;
    private readonly ChaosHostOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private OfrepServer? _ofrep;
    private IChaosTarget? _target;
    private SystemUnderTest? _running;
    private string? _restartVariant;
    private TargetAvailability? _availability;
    private int _disposed;

    /// <summary>Creates the host; nothing starts until the first case.</summary>
    public ChaosHost(ChaosSystem system, FlagManifest? manifest, IChaosTargetFactory factory, ChaosHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        _system = system;
        _manifest = manifest ?? FlagManifest.Empty;
        _factory = factory;
        _options = options;
    }

    /// <summary>The target's name.</summary>
    public string TargetName => _factory.Name;

    /// <summary>Whether the target can run here (asked once).</summary>
    public async ValueTask<TargetAvailability> CheckAvailabilityAsync(CancellationToken cancellationToken = default)
    {
        return _availability ??= await _factory.CheckAvailabilityAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one case: <paramref name="body"/> is the test body, run as the chaos workload.</summary>
    public async Task<ChaosCaseResult> RunAsync(ChaosCase chaosCase, Func<ChaosContext, Task> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chaosCase);
        ArgumentNullException.ThrowIfNull(body);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var availability = await CheckAvailabilityAsync(cancellationToken).ConfigureAwait(false);
        if (!availability.IsAvailable)
        {
            return new ChaosCaseResult(chaosCase, CaseOutcome.Skipped, $"Target '{TargetName}' cannot run here: {availability.Reason}", null, TimeSpan.Zero, TargetName);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        try
        {
            var result = await RunCoreAsync(chaosCase, body, cancellationToken).ConfigureAwait(false);
            return result with { Duration = time.GetElapsedTime(started) };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the system: reverts whatever is in force, stops every service and the OFREP server. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopTargetAsync().ConfigureAwait(false);
        if (_ofrep is not null)
        {
            await _ofrep.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<ChaosCaseResult> RunCoreAsync(ChaosCase chaosCase, Func<ChaosContext, Task> body, CancellationToken cancellationToken)
    {
        var where = Describe(chaosCase);
        IChaosTarget target;
        try
        {
            target = await SelectVariantAsync(chaosCase.Variant, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ChaosException or ArgumentException or IOException or HttpRequestException)
        {
            return Result(chaosCase, CaseOutcome.Failed, $"{where}: the system could not be started on target '{TargetName}': {e.Message}", null);
        }

        var steady = await WaitForSteadyStateAsync(target, cancellationToken).ConfigureAwait(false);
        if (steady is not null)
        {
            return Result(chaosCase, CaseOutcome.Inconclusive, $"{where}: the system was not steady after selecting the variant, so nothing was injected: {steady}", null);
        }

        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
            await _system.WarmUpAsync(new ChaosWarmUpContext(chaosCase.Variant, target.GetEndpoint, http, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Result(chaosCase, CaseOutcome.Inconclusive, $"{where}: the system's WarmUpAsync threw {e.GetType().Name}: {e.Message}", null);
        }

        Exception? bodyException = null;
        var faults = chaosCase.Scenario.Faults.Select(f => f.ToOptions()).ToArray();
        var builder = new ChaosScenarioBuilder(chaosCase.Id)
            .WithRecoveryTimeout(_system.RecoveryTimeout)
            .WithProbeInterval(_system.ProbeInterval)
            .WithWorkload(async (workload, token) =>
            {
                var context = new ChaosContext(chaosCase, faults, workload, TargetName, _ofrep?.BaseAddress, token);
                try
                {
                    await body(context).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    bodyException = e;
                    throw;
                }
            });
        foreach (var fault in faults)
        {
            builder.AddFault(fault);
        }

        foreach (var probe in _system.CreateSteadyStateProbes(_running!))
        {
            builder.AddProbe(probe);
        }

        if (_options.Seed is { } seed)
        {
            builder.WithSeed(seed);
        }

        ChaosRunResult run;
        try
        {
            var scenario = builder.Build();
            run = await new ChaosRunner(target, new ChaosRunnerOptions { TimeProvider = _options.TimeProvider }).RunAsync(scenario, cancellationToken).ConfigureAwait(false);
        }
        catch (ChaosException e)
        {
            return Result(chaosCase, CaseOutcome.Failed, $"{where}: {e.Message}", null, bodyException);
        }

        var timelinePath = WriteTimeline(chaosCase, run);
        var outcome = run.Verdict switch
        {
            Verdict.Pass => CaseOutcome.Passed,
            Verdict.Inconclusive => CaseOutcome.Inconclusive,
            _ => CaseOutcome.Failed,
        };
        var message = outcome == CaseOutcome.Passed ? null : ChaosCaseMessages.Failure(chaosCase, run, timelinePath, _options.ReportDirectory);
        return new ChaosCaseResult(chaosCase, outcome, message, run, TimeSpan.Zero, TargetName, bodyException, timelinePath);
    }

    private ChaosCaseResult Result(ChaosCase chaosCase, CaseOutcome outcome, string message, ChaosRunResult? run, Exception? bodyException = null) =>
        new(chaosCase, outcome, message, run, TimeSpan.Zero, TargetName, bodyException);

    private async Task<IChaosTarget> SelectVariantAsync(VariantAssignment? variant, CancellationToken cancellationToken)
    {
        if (_system.FlagDelivery == FlagDelivery.RestartWithEnvironment)
        {
            var name = variant?.Name ?? string.Empty;
            if (_target is null || _restartVariant != name)
            {
                await StopTargetAsync().ConfigureAwait(false);
                await StartTargetAsync(EnvironmentVariableDelivery.Create(_manifest, variant), cancellationToken).ConfigureAwait(false);
                _restartVariant = name;
            }

            return _target!;
        }

        if (_ofrep is null)
        {
            _ofrep = await OfrepServer.StartAsync(_manifest, cancellationToken).ConfigureAwait(false);
        }

        if (_target is null)
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal) { [_system.OfrepUrlVariable] = _ofrep.BaseAddress.ToString() };
            await StartTargetAsync(environment, cancellationToken).ConfigureAwait(false);
        }

        // Switches every later evaluation at once: no restart, the services keep running.
        _ofrep.Select(variant);
        return _target!;
    }

    private async Task StartTargetAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var system = _system.CreateSystem();
        var target = _factory.Create(new ChaosTargetRequest(system, environment));
        try
        {
            await target.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await target.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _target = target;
        _running = system;
    }

    private async Task StopTargetAsync()
    {
        var target = _target;
        _target = null;
        _running = null;
        _restartVariant = null;
        if (target is not null)
        {
            await target.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Polls every service's readiness path through its stable endpoint until all answer 2xx; null, or what was seen.</summary>
    private async Task<string?> WaitForSteadyStateAsync(IChaosTarget target, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        string? last = null;
        while (true)
        {
            last = null;
            foreach (var service in _running!.Services)
            {
                var uri = new Uri(target.GetEndpoint(service.Name), service.ReadinessPath);
                try
                {
                    using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        last = $"GET {uri} answered {(int)response.StatusCode}";
                        break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    last = $"GET {uri} failed: {e.Message}";
                    break;
                }
            }

            if (last is null)
            {
                return null;
            }

            if (time.GetElapsedTime(started) > _system.SteadyStateTimeout)
            {
                return $"{last} (still, after {_system.SteadyStateTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s: SteadyStateTimeout)";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private string? WriteTimeline(ChaosCase chaosCase, ChaosRunResult run)
    {
        try
        {
            var directory = Path.Combine(_options.ReportDirectory, "timelines");
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, ChaosCaseMessages.FileName(chaosCase) + ".log");
            File.WriteAllText(path, ChaosCaseMessages.Timeline(chaosCase, run));
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Describe(ChaosCase chaosCase) => $"{chaosCase.VariantName} under {chaosCase.Scenario.Name}";
}

/// <summary>Settings of a <see cref="ChaosHost"/>.</summary>
public sealed class ChaosHostOptions
{
    /// <summary>Where timelines and the report go (absolute).</summary>
    public string ReportDirectory { get; set; } = Path.GetFullPath(Path.Combine("TestResults", "killswitch"));

    /// <summary>The seed of every case, or null for a new one per case (recorded in the result).</summary>
    public int? Seed { get; set; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The seed from <c>KILLSWITCH_SEED</c>, or null.</summary>
    public static int? SeedFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(ChaosHost.SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : null;
}
