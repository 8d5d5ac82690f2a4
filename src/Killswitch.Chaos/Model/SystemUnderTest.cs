namespace Killswitch.Chaos;

/// <summary>The set of services a target runs. Validated on construction, with one exception listing every problem.</summary>
public sealed class SystemUnderTest
{
    /// <summary>Creates and validates the system.</summary>
    /// <exception cref="ChaosValidationException">A service is invalid, a name repeats, or a dependency names no service.</exception>
    public SystemUnderTest(IEnumerable<ServiceDefinition> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = [.. services];
        var errors = new List<string>();
        if (Services.Count == 0)
        {
            errors.Add("A system needs at least one service.");
        }

        foreach (var service in Services)
        {
            service.Validate(errors);
        }

        foreach (var duplicate in Services.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"Service name '{duplicate.Key}' is used {duplicate.Count()} times; names must be unique.");
        }

        var names = Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            foreach (var dependency in service.Dependencies.Where(d => !names.Contains(d.Service)))
            {
                errors.Add($"Service '{service.Name}' depends on '{dependency.Service}', which is not a service of this system.");
            }
        }

        if (errors.Count > 0)
        {
            throw new ChaosValidationException("The system under test", errors);
        }
    }

    /// <summary>The services, in the order given.</summary>
    public IReadOnlyList<ServiceDefinition> Services { get; }

    /// <summary>The service called <paramref name="name"/>.</summary>
    public ServiceDefinition this[string name] =>
        Services.FirstOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"No service '{name}'. Services: {string.Join(", ", Services.Select(s => s.Name))}.");
}
