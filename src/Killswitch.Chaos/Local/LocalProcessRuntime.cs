namespace Killswitch.Chaos.Local;

/// <summary>
/// How the local target runs a service: a command line started once per replica. In <see cref="Arguments"/> and the
/// values of <see cref="Environment"/>, <c>{port}</c> is replaced by the replica's loopback port, <c>{service}</c> by the
/// service name and <c>{replica}</c> by the replica's ordinal. The replica must listen on <c>127.0.0.1:{port}</c>.
/// </summary>
public sealed class LocalProcessRuntime : IServiceRuntime
{
    /// <summary>Creates the runtime for <paramref name="fileName"/> (an executable on PATH or a full path).</summary>
    public LocalProcessRuntime(string fileName, params string[] arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        FileName = fileName;
        Arguments = [.. arguments];
    }

    /// <summary>The executable.</summary>
    public string FileName { get; }

    /// <summary>The arguments, each passed as is (no shell).</summary>
    public IList<string> Arguments { get; }

    /// <summary>Extra environment variables (added to the parent's).</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Working directory; default the executable's (or the assembly's, for <see cref="DotNet"/>) folder.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// A .NET app run as <c>dotnet &lt;assembly&gt; &lt;arguments&gt;</c> with the <c>dotnet</c> that runs this process, listening on
    /// <c>--urls http://127.0.0.1:{port}</c> (ASP.NET Core reads it; other apps can ignore it).
    /// </summary>
    public static LocalProcessRuntime DotNet(string assemblyPath, params string[] arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        var dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var runtime = new LocalProcessRuntime(dotnet, [assemblyPath, .. arguments, "--urls", "http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath)),
        };
        return runtime;
    }
}
