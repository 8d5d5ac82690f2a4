namespace Killswitch.Chaos.Local;

/// <summary>
/// The <see cref="IChaosTargetFactory"/> of the local target: always available (it needs nothing but the .NET runtime
/// running this process). The request's environment is added to every service's <see cref="LocalProcessRuntime.Environment"/>,
/// without replacing a variable the service sets itself.
/// </summary>
public sealed class LocalTargetFactory : IChaosTargetFactory
{
    private readonly LocalTargetOptions? _options;

    /// <summary>Creates the factory; targets get default <see cref="LocalTargetOptions"/>.</summary>
    public LocalTargetFactory()
    {
    }

    /// <summary>Creates the factory; targets get <paramref name="options"/>.</summary>
    public LocalTargetFactory(LocalTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => LocalTargetConstants.Name;

    /// <inheritdoc />
    public ValueTask<TargetAvailability> CheckAvailabilityAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TargetAvailability.Available);

    /// <inheritdoc />
    public IChaosTarget Create(ChaosTargetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var runtime in request.System.Services.Select(s => s.GetRuntime<LocalProcessRuntime>()).OfType<LocalProcessRuntime>())
        {
            foreach (var (name, value) in request.Environment)
            {
                runtime.Environment.TryAdd(name, value);
            }
        }

        return new LocalTarget(request.System, _options);
    }
}
