using System.Reflection;
using Killswitch.Chaos;
using Killswitch.Chaos.Local;

namespace Killswitch.Xunit;

/// <summary>
/// The targets a chaos test assembly can run on, by name, and the one chosen with <c>KILLSWITCH_TARGET</c>
/// (<c>local</c> by default). The local target is always there. Target packages (Killswitch.Chaos.Docker,
/// Killswitch.Chaos.Kubernetes) name their <see cref="IChaosTargetFactory"/> with
/// <c>[assembly: ChaosTargetFactory(...)]</c>: referencing the package is enough, nothing here changes. A
/// <see cref="ChaosSystem"/> can add its own in <see cref="ChaosSystem.ConfigureTargets"/>.
/// </summary>
public sealed class ChaosTargetRegistry
{
    /// <summary>The environment variable choosing the target.</summary>
    public const string TargetVariable = "KILLSWITCH_TARGET";

    private readonly Dictionary<string, IChaosTargetFactory> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a registry holding the local target.</summary>
    public ChaosTargetRegistry()
    {
        Add(new LocalTargetFactory());
    }

    /// <summary>The registered target names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Adds (or replaces) the factory of <see cref="IChaosTargetFactory.Name"/>.</summary>
    public ChaosTargetRegistry Add(IChaosTargetFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories[factory.Name] = factory;
        return this;
    }

    /// <summary>The factory called <paramref name="name"/>.</summary>
    /// <exception cref="ChaosTargetUnknownException">No target of that name is registered; the message says how to add it.</exception>
    public IChaosTargetFactory Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_factories.TryGetValue(name, out var factory))
        {
            return factory;
        }

        var package = name.ToLowerInvariant() switch
        {
            "docker" => "Killswitch.Chaos.Docker",
            "kubernetes" => "Killswitch.Chaos.Kubernetes",
            _ => null,
        };
        throw new ChaosTargetUnknownException(
            $"{TargetVariable}={name} names no known target; known targets: {string.Join(", ", Names)}. " +
            (package is null
                ? "Reference the package that provides it, or add its IChaosTargetFactory in your ChaosSystem's ConfigureTargets."
                : $"Reference the {package} package from the test project (its factory registers itself), or unset {TargetVariable} to run on the local target."))
        {
            Target = name,
        };
    }

    /// <summary>The target name chosen by <c>KILLSWITCH_TARGET</c>, or <c>local</c>.</summary>
    public static string SelectedName(Func<string, string?>? environment = null)
    {
        var value = (environment ?? Environment.GetEnvironmentVariable)(TargetVariable);
        return string.IsNullOrWhiteSpace(value) ? LocalTargetConstants.Name : value.Trim();
    }

    /// <summary>
    /// Adds the factories named by <see cref="ChaosTargetFactoryAttribute"/> in the loaded assemblies and in the
    /// <c>Killswitch.Chaos.*.dll</c> files next to the test assembly (a package reference the test code never touches is
    /// not loaded until asked for).
    /// </summary>
    /// <returns>Problems met (a factory that cannot be created), one sentence each.</returns>
    public IReadOnlyList<string> AddFromAssemblies(string directory)
    {
        var problems = new List<string>();
        var assemblies = AppDomain.CurrentDomain.GetAssemblies().ToList();
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "Killswitch.Chaos.*.dll").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (assemblies.Any(a => string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                try
                {
                    assemblies.Add(Assembly.LoadFrom(file));
                }
                catch (Exception e) when (e is IOException or BadImageFormatException or FileLoadException)
                {
                    problems.Add($"{file} could not be loaded to look for a chaos target: {e.Message}");
                }
            }
        }

        foreach (var assembly in assemblies)
        {
            IEnumerable<ChaosTargetFactoryAttribute> attributes;
            try
            {
                attributes = assembly.GetCustomAttributes<ChaosTargetFactoryAttribute>();
            }
            catch (Exception e) when (e is FileNotFoundException or TypeLoadException or FileLoadException)
            {
                continue;
            }

            foreach (var attribute in attributes)
            {
                try
                {
                    Add((IChaosTargetFactory)Activator.CreateInstance(attribute.FactoryType)!);
                }
                catch (Exception e) when (e is MissingMethodException or InvalidCastException or TargetInvocationException or MemberAccessException)
                {
                    problems.Add($"{attribute.FactoryType.FullName} (from {assembly.GetName().Name}) is not an IChaosTargetFactory with a public parameterless constructor: {e.Message}");
                }
            }
        }

        return problems;
    }
}

/// <summary><c>KILLSWITCH_TARGET</c> names a target no factory provides.</summary>
public sealed class ChaosTargetUnknownException : ChaosException
{
    /// <summary>Creates the exception.</summary>
    public ChaosTargetUnknownException(string message)
        : base(message)
    {
    }
}
