namespace Killswitch.Chaos.Docker;

/// <summary>
/// How the Docker target runs a service: one container per replica from <see cref="Image"/>, listening on
/// <see cref="Port"/> on every address of the container. In <see cref="Command"/> and the values of
/// <see cref="Environment"/>, <c>{service}</c> is replaced by the service name and <c>{replica}</c> by the replica's ordinal.
/// The image must already be in the engine (built locally, see build/images/): the target never pulls.
/// </summary>
public sealed class DockerRuntime : IServiceRuntime
{
    /// <summary>Creates the runtime for <paramref name="image"/> (<c>shop/payments:dev</c>).</summary>
    public DockerRuntime(string image)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        Image = image;
    }

    /// <summary>The image, present in the engine.</summary>
    public string Image { get; }

    /// <summary>The TCP port the app listens on inside the container. Default <see cref="DockerRuntimeConstants.DefaultPort"/> (ASP.NET Core images' default).</summary>
    public int Port { get; set; } = DockerRuntimeConstants.DefaultPort;

    /// <summary>Arguments passed to the image's entrypoint; empty (default) keeps the image's CMD.</summary>
    public IList<string> Command { get; } = new List<string>();

    /// <summary>Environment variables (on top of the image's).</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Sets <see cref="Port"/>.</summary>
    public DockerRuntime WithPort(int port)
    {
        Port = port;
        return this;
    }

    /// <summary>Appends arguments to <see cref="Command"/>.</summary>
    public DockerRuntime WithCommand(params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (var argument in arguments)
        {
            Command.Add(argument);
        }

        return this;
    }

    /// <summary>Sets an environment variable.</summary>
    public DockerRuntime WithEnvironment(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Environment[name] = value;
        return this;
    }

    internal void Validate(string service, List<string> errors)
    {
        if (Port is < 1 or > 65535)
        {
            errors.Add($"Service '{service}': DockerRuntime.Port must be 1-65535 (was {Port}).");
        }
    }
}

/// <summary>Defaults of <see cref="DockerRuntime"/>.</summary>
public static class DockerRuntimeConstants
{
    /// <summary>Default <see cref="DockerRuntime.Port"/>: 8080, where ASP.NET Core 8+ images (and killswitch/aspnet:10) listen.</summary>
    public const int DefaultPort = 8080;
}
