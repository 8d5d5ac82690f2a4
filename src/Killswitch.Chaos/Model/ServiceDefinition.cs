namespace Killswitch.Chaos;

/// <summary>
/// One service of the system under test: a name, labels that selectors match, a replica count, the HTTP readiness
/// path, the services it calls, and how each target runs it (<see cref="Runtimes"/>: a command line for the local
/// target; a container image for Docker; a pod template for Kubernetes). A target picks the runtime type it understands,
/// so new targets add runtime types without changing this class.
/// </summary>
public sealed class ServiceDefinition
{
    /// <summary>Creates a service called <paramref name="name"/> (lower-case letters, digits and '-').</summary>
    public ServiceDefinition(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The service name: unique in the system, used in edges (<c>checkout→payments</c>) and as a label.</summary>
    public string Name { get; }

    /// <summary>Labels every replica carries (<c>app=checkout</c>). <see cref="ServiceConstants.ServiceLabel"/> is added with the name.</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How many replicas run. Default <see cref="ServiceConstants.DefaultReplicas"/>.</summary>
    public int Replicas { get; set; } = ServiceConstants.DefaultReplicas;

    /// <summary>HTTP path answering 2xx when a replica is ready. Default <see cref="ServiceConstants.DefaultReadinessPath"/>.</summary>
    public string ReadinessPath { get; set; } = ServiceConstants.DefaultReadinessPath;

    /// <summary>
    /// The services this one calls. Each is a dependency edge: the target gives the caller the dependency's address
    /// through the named environment variable, so network faults can act on that edge alone.
    /// </summary>
    public IList<ServiceDependency> Dependencies { get; } = new List<ServiceDependency>();

    /// <summary>How each kind of target runs the service. At most one entry per runtime type.</summary>
    public IList<IServiceRuntime> Runtimes { get; } = new List<IServiceRuntime>();

    /// <summary>Adds a dependency edge to <paramref name="service"/> published in <paramref name="environmentVariable"/>.</summary>
    public ServiceDefinition AddDependency(string service, string environmentVariable)
    {
        Dependencies.Add(new ServiceDependency(service, environmentVariable));
        return this;
    }

    /// <summary>Adds a label.</summary>
    public ServiceDefinition WithLabel(string key, string value)
    {
        Labels[key] = value;
        return this;
    }

    /// <summary>Sets the replica count.</summary>
    public ServiceDefinition WithReplicas(int replicas)
    {
        Replicas = replicas;
        return this;
    }

    /// <summary>Adds how a target runs the service.</summary>
    public ServiceDefinition AddRuntime(IServiceRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Runtimes.Add(runtime);
        return this;
    }

    /// <summary>The runtime of type <typeparamref name="T"/>, or <see langword="null"/>.</summary>
    public T? GetRuntime<T>()
        where T : class, IServiceRuntime => Runtimes.OfType<T>().FirstOrDefault();

    /// <summary>The labels including the service-name label.</summary>
    public IReadOnlyDictionary<string, string> EffectiveLabels()
    {
        var labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal)
        {
            [ServiceConstants.ServiceLabel] = Name,
        };
        return labels;
    }

    internal void Validate(List<string> errors)
    {
        var prefix = $"Service '{Name}'";
        if (Name.Length == 0 || !Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            errors.Add($"{prefix}: Name must be non-empty lower-case letters, digits and '-'.");
        }

        if (Replicas < 1)
        {
            errors.Add($"{prefix}: Replicas must be at least 1 (was {Replicas}).");
        }

        if (!ReadinessPath.StartsWith('/'))
        {
            errors.Add($"{prefix}: ReadinessPath must start with '/' (was '{ReadinessPath}').");
        }

        foreach (var dependency in Dependencies)
        {
            if (string.IsNullOrWhiteSpace(dependency.EnvironmentVariable))
            {
                errors.Add($"{prefix}: dependency on '{dependency.Service}' needs an EnvironmentVariable to publish its address in.");
            }
        }

        foreach (var group in Runtimes.GroupBy(r => r.GetType()).Where(g => g.Count() > 1))
        {
            errors.Add($"{prefix}: more than one runtime of type {group.Key.Name}.");
        }
    }
}

/// <summary>An edge of the system: the caller reaches <paramref name="Service"/> at the URL in <paramref name="EnvironmentVariable"/>.</summary>
/// <param name="Service">The called service's name.</param>
/// <param name="EnvironmentVariable">The variable that carries the called service's base URL (<c>PAYMENTS_URL</c>).</param>
public sealed record ServiceDependency(string Service, string EnvironmentVariable);

/// <summary>Marker for "how a given kind of target runs a service". Each target package defines its own.</summary>
#pragma warning disable CA1040 // A marker interface is the point: targets define their own runtime shapes.
public interface IServiceRuntime
{
}
#pragma warning restore CA1040

/// <summary>Defaults and well-known names for services.</summary>
public static class ServiceConstants
{
    /// <summary>Label every instance carries with its service name.</summary>
    public const string ServiceLabel = "killswitch.dev/service";

    /// <summary>Default <see cref="ServiceDefinition.Replicas"/>.</summary>
    public const int DefaultReplicas = 1;

    /// <summary>Default <see cref="ServiceDefinition.ReadinessPath"/>.</summary>
    public const string DefaultReadinessPath = "/health/ready";
}
