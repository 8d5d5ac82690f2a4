namespace Killswitch.Chaos;

/// <summary>
/// Creates a target by name (<c>local</c>, <c>docker</c>, <c>kubernetes</c>) for whoever chooses the target at run time:
/// the xUnit extension reads <c>KILLSWITCH_TARGET</c> and asks the factory of that name. A target package ships its
/// factory and names it with <see cref="ChaosTargetFactoryAttribute"/> on its assembly, so a test project that
/// references the package can select the target without code; the caller never references the package's types.
/// </summary>
public interface IChaosTargetFactory
{
    /// <summary>The target's name, as <see cref="IChaosTarget.Name"/> reports it and <c>KILLSWITCH_TARGET</c> selects it.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the target can run on this machine (the Docker engine answers, a kubeconfig and its cluster are
    /// reachable ...). When not, <see cref="TargetAvailability.Reason"/> says what is missing and how to get it; callers
    /// skip what needs the target rather than failing. Must not start anything.
    /// </summary>
    ValueTask<TargetAvailability> CheckAvailabilityAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates (does not start) a target for the request's system. Each service gets <see cref="ChaosTargetRequest.Environment"/>
    /// added to its environment (services read their flag delivery from it, e.g. <c>OFREP_URL</c>).
    /// </summary>
    /// <exception cref="ChaosValidationException">The system cannot run on this target (a service has no runtime for it).</exception>
    IChaosTarget Create(ChaosTargetRequest request);
}

/// <summary>What a <see cref="IChaosTargetFactory"/> is asked to create.</summary>
/// <param name="System">The services to run.</param>
/// <param name="Environment">
/// Variables every service gets on top of its own. A value that holds a loopback URL of the test process
/// (<c>http://127.0.0.1:PORT</c>) is the address as the test host sees it: targets whose services run elsewhere (in a
/// container, in a cluster) rewrite it to an address that reaches the host.
/// </param>
public sealed record ChaosTargetRequest(SystemUnderTest System, IReadOnlyDictionary<string, string> Environment);

/// <summary>Whether a target can run here; when not, why.</summary>
/// <param name="IsAvailable">True when the target can start on this machine.</param>
/// <param name="Reason">What is missing and how to fix it, when not available.</param>
public sealed record TargetAvailability(bool IsAvailable, string? Reason)
{
    /// <summary>The target can run.</summary>
    public static TargetAvailability Available { get; } = new(true, null);

    /// <summary>The target cannot run, because of <paramref name="reason"/>.</summary>
    public static TargetAvailability Unavailable(string reason) => new(false, reason);
}

/// <summary>
/// Names a target package's <see cref="IChaosTargetFactory"/> (a public type with a parameterless constructor), on the
/// package's assembly: <c>[assembly: ChaosTargetFactory(typeof(DockerTargetFactory))]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ChaosTargetFactoryAttribute : Attribute
{
    /// <summary>Names <paramref name="factoryType"/> as this assembly's target factory.</summary>
    public ChaosTargetFactoryAttribute(Type factoryType)
    {
        ArgumentNullException.ThrowIfNull(factoryType);
        FactoryType = factoryType;
    }

    /// <summary>The factory type.</summary>
    public Type FactoryType { get; }
}
