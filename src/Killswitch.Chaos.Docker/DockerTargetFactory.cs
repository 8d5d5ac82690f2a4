using Killswitch.Chaos;
using Killswitch.Chaos.Docker;

[assembly: ChaosTargetFactory(typeof(DockerTargetFactory))]

namespace Killswitch.Chaos.Docker;

/// <summary>
/// The <see cref="IChaosTargetFactory"/> of the Docker target (<c>KILLSWITCH_TARGET=docker</c>): available when a Docker
/// engine answers and the tools image is built. The request's environment is added to every service's
/// <see cref="DockerRuntime.Environment"/> without replacing a variable the service sets itself; values that are loopback
/// URLs of the test process (an OFREP server on <c>http://127.0.0.1:PORT</c>) reach it from the containers through a
/// forwarder on the private network's gateway (see <see cref="DockerTarget"/>).
/// </summary>
public sealed class DockerTargetFactory : IChaosTargetFactory
{
    private readonly DockerTargetOptions? _options;

    /// <summary>Creates the factory; targets get default <see cref="DockerTargetOptions"/>.</summary>
    public DockerTargetFactory()
    {
    }

    /// <summary>Creates the factory; targets get <paramref name="options"/>.</summary>
    public DockerTargetFactory(DockerTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => DockerTargetConstants.Name;

    /// <inheritdoc />
    public async ValueTask<TargetAvailability> CheckAvailabilityAsync(CancellationToken cancellationToken = default)
    {
        if (await DockerEngine.UnavailableReasonAsync(cancellationToken).ConfigureAwait(false) is { } reason)
        {
            return TargetAvailability.Unavailable("The Docker target needs a Docker engine: " + reason);
        }

        var tools = _options?.ToolsImage ?? DockerTargetConstants.DefaultToolsImage;
        using var engine = DockerEngine.Connect();
        return await engine.ImageExistsAsync(tools, cancellationToken).ConfigureAwait(false)
            ? TargetAvailability.Available
            : TargetAvailability.Unavailable($"The Docker target's tools image '{tools}' is not built: run build/images/all.sh (no registry needed), or set DockerTargetOptions.ToolsImage.");
    }

    /// <inheritdoc />
    public IChaosTarget Create(ChaosTargetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var runtime in request.System.Services.Select(s => s.GetRuntime<DockerRuntime>()).OfType<DockerRuntime>())
        {
            foreach (var (name, value) in request.Environment)
            {
                runtime.Environment.TryAdd(name, value);
            }
        }

        return new DockerTarget(request.System, _options);
    }
}
