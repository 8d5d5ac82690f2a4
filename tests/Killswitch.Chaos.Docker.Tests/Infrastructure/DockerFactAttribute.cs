namespace Killswitch.Chaos.Docker.Tests.Infrastructure;

/// <summary>
/// A fact that needs the Docker engine and the base images (build/images/all.sh). Where they are missing it is skipped
/// with the reason (Testcontainers' own explanation for the engine), except in CI (<c>CI=true</c>), where a missing
/// engine is broken CI: the test then runs and fails with that reason.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && DockerEnvironment.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

internal static class DockerEnvironment
{
    public static readonly string[] BaseImages = ["killswitch/aspnet:10", DockerTargetConstants.DefaultToolsImage];

    private static readonly Lazy<string?> Reason = new(() => Check().GetAwaiter().GetResult());

    /// <summary>Why Docker tests cannot run here, or null.</summary>
    public static string? Unavailable => Reason.Value;

    /// <summary>Fails (in CI) with the reason the skip would have given.</summary>
    public static void Require()
    {
        if (Unavailable is { } reason)
        {
            Assert.Fail("CI=true and the Docker target cannot run: " + reason);
        }
    }

    private static async Task<string?> Check()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        if (await DockerEngine.UnavailableReasonAsync(timeout.Token) is { } reason)
        {
            return "Docker engine unavailable: " + reason;
        }

        using var engine = DockerEngine.Connect();
        var missing = new List<string>();
        foreach (var image in BaseImages)
        {
            if (!await engine.ImageExistsAsync(image, timeout.Token))
            {
                missing.Add(image);
            }
        }

        return missing.Count == 0 ? null : $"Image(s) {string.Join(", ", missing)} not built: run build/images/all.sh (no registry needed).";
    }
}
