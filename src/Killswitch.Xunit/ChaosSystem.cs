using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// Defines the system a test assembly's chaos tests run against: its services, its flag manifest, how flag variants
/// reach it, and its steady state. Derive from it, give it a public parameterless constructor and name it with
/// <c>[assembly: KillswitchSystem(typeof(MySystem))]</c>. Killswitch creates one instance to discover tests (only
/// <see cref="ManifestPaths"/> is read then) and one to run them; the system is started once for the whole assembly.
/// </summary>
/// <example><code>public sealed class ShopSystem : ChaosSystem
/// {
///     public override IReadOnlyList&lt;string&gt; ManifestPaths =&gt; ["flags.json"];
///     public override SystemUnderTest CreateSystem() =&gt; new([ /* ServiceDefinitions */ ]);
/// }</code></example>
public abstract class ChaosSystem
{
    /// <summary>
    /// The flag manifest files (flagd or OpenFeature CLI), merged in order. Relative paths are taken from the test
    /// assembly's folder (copy the manifest to the output). Default: <c>flags.json</c> when that file exists there,
    /// else none.
    /// </summary>
    public virtual IReadOnlyList<string> ManifestPaths => File.Exists(Path.Combine(AppContext.BaseDirectory, "flags.json")) ? ["flags.json"] : [];

    /// <summary>How the selected variant reaches the services. Default <see cref="FlagDelivery.Ofrep"/>.</summary>
    public virtual FlagDelivery FlagDelivery => FlagDelivery.Ofrep;

    /// <summary>
    /// The environment variable each service gets with the OFREP server's base URL (<c>http://127.0.0.1:PORT/</c>),
    /// when <see cref="FlagDelivery"/> is <see cref="FlagDelivery.Ofrep"/>. Default <c>OFREP_URL</c>.
    /// </summary>
    public virtual string OfrepUrlVariable => ChaosSystemConstants.DefaultOfrepUrlVariable;

    /// <summary>How long the services may take to be steady after a variant is selected. Default 30 s.</summary>
    public virtual TimeSpan SteadyStateTimeout => ChaosSystemConstants.DefaultSteadyStateTimeout;

    /// <summary>How long the steady state may take to hold again after the faults end. Default <see cref="ScenarioConstants.DefaultRecoveryTimeout"/>.</summary>
    public virtual TimeSpan RecoveryTimeout => ScenarioConstants.DefaultRecoveryTimeout;

    /// <summary>How often steady-state probes are checked while faults are in force. Default <see cref="ScenarioConstants.DefaultProbeInterval"/>.</summary>
    public virtual TimeSpan ProbeInterval => ScenarioConstants.DefaultProbeInterval;

    /// <summary>Creates the services. Called once per start of the system (again after a restart for <see cref="FlagDelivery.RestartWithEnvironment"/>).</summary>
    public abstract SystemUnderTest CreateSystem();

    /// <summary>
    /// The steady state every case checks before injecting (the system must be steady, or the case is inconclusive),
    /// while faults are in force, and after (the recovery). Default: each service's readiness path answers 200 through
    /// its stable endpoint, before and after (not during: a PodKill makes a single replica unready by design).
    /// </summary>
    public virtual IEnumerable<ProbeOptions> CreateSteadyStateProbes(SystemUnderTest system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.Services.Select(s => new HttpProbeOptions
        {
            Name = s.Name + " ready",
            Service = s.Name,
            Path = s.ReadinessPath,
            Phases = ProbePhases.Before | ProbePhases.After,
        });
    }

    /// <summary>
    /// Called before each case, once the case's variant is served and the services are ready, and before the steady
    /// state is checked: send the requests that warm a freshly started process (JIT, connection pools) so the case
    /// measures the system, not its start-up. Its requests are not recorded in the case's timeline. Default: nothing.
    /// An exception makes the case inconclusive.
    /// </summary>
    public virtual Task WarmUpAsync(ChaosWarmUpContext context) => Task.CompletedTask;

    /// <summary>Adds target factories beyond the local target and those of referenced target packages.</summary>
    public virtual void ConfigureTargets(ChaosTargetRegistry targets)
    {
    }
}

/// <summary>How a selected flag variant reaches the system under test.</summary>
public enum FlagDelivery
{
    /// <summary>
    /// An OFREP server on loopback, started with the system; services get its URL in <see cref="ChaosSystem.OfrepUrlVariable"/>.
    /// Switching variants is instant: no restart.
    /// </summary>
    Ofrep,

    /// <summary>
    /// Environment variables (<c>FLAG_NEW_CHECKOUT=true</c>, <c>FeatureManagement__new-checkout=true</c>, see
    /// docs/flags-delivery.md); the system is restarted whenever the variant changes.
    /// </summary>
    RestartWithEnvironment,
}

/// <summary>Defaults of <see cref="ChaosSystem"/>.</summary>
public static class ChaosSystemConstants
{
    /// <summary>Default <see cref="ChaosSystem.OfrepUrlVariable"/>.</summary>
    public const string DefaultOfrepUrlVariable = "OFREP_URL";

    /// <summary>Default <see cref="ChaosSystem.SteadyStateTimeout"/>.</summary>
    public static readonly TimeSpan DefaultSteadyStateTimeout = TimeSpan.FromSeconds(30);
}

/// <summary>What <see cref="ChaosSystem.WarmUpAsync"/> gets: the variant in force, the endpoints and a client.</summary>
public sealed class ChaosWarmUpContext
{
    private readonly Func<string, Uri> _endpoints;

    internal ChaosWarmUpContext(Killswitch.Flags.Matrix.VariantAssignment? variant, Func<string, Uri> endpoints, HttpClient http, CancellationToken cancellationToken)
    {
        Variant = variant;
        _endpoints = endpoints;
        Http = http;
        CancellationToken = cancellationToken;
    }

    /// <summary>The variants served, or null when the case varies no flag.</summary>
    public Killswitch.Flags.Matrix.VariantAssignment? Variant { get; }

    /// <summary>A client that records nothing (no base address: use <see cref="GetEndpoint"/>).</summary>
    public HttpClient Http { get; }

    /// <summary>Cancelled when the run is.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The stable endpoint of a service.</summary>
    public Uri GetEndpoint(string service) => _endpoints(service);
}
