using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using DotNet.Testcontainers.Builders;

namespace Killswitch.Chaos.Docker.Tests.Infrastructure;

/// <summary>
/// The image of tests/Killswitch.Chaos.TestApp, built FROM killswitch/aspnet:10 through Testcontainers' image builder,
/// tagged with a hash of the app's files so an unchanged app is never rebuilt. Kept between runs (the sweep keeps images).
/// </summary>
internal static class TestImage
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private const string Repository = "killswitch/chaos-testapp";
    private static string? _built;

    public static string AppDirectory { get; } = typeof(TestImage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestAppDirectory").Value!;

    public static async Task<string> BuildAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_built is not null)
            {
                return _built;
            }

            var files = Directory.GetFiles(AppDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".pdb", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in files)
            {
                sha.AppendData(global::System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(AppDirectory, file)));
                sha.AppendData(await File.ReadAllBytesAsync(file));
            }

            var tag = Repository + ":" + Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
            using var engine = DockerEngine.Connect();
            if (!await engine.ImageExistsAsync(tag, CancellationToken.None))
            {
                var context = Directory.CreateTempSubdirectory("ks-testapp-image-");
                try
                {
                    foreach (var file in files)
                    {
                        var to = Path.Combine(context.FullName, "app", Path.GetRelativePath(AppDirectory, file));
                        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                        File.Copy(file, to);
                    }

                    await File.WriteAllTextAsync(Path.Combine(context.FullName, "Dockerfile"), """
                        ARG BASE_IMAGE=killswitch/aspnet:10
                        FROM ${BASE_IMAGE}
                        COPY app/ /app/
                        ENTRYPOINT ["dotnet", "/app/Killswitch.Chaos.TestApp.dll"]
                        LABEL killswitch.dev/image=killswitch/chaos-testapp
                        """);
                    var image = new ImageFromDockerfileBuilder()
                        .WithContextDirectory(context.FullName)
                        .WithDockerfileDirectory(context.FullName)
                        .WithDockerfile("Dockerfile")
                        .WithName(tag)
                        .WithCleanUp(false)
                        .WithDeleteIfExists(false)
                        .Build();
                    await image.CreateAsync();
                }
                finally
                {
                    context.Delete(recursive: true);
                }
            }

            await PruneOlderAsync(engine, tag);
            _built = tag;
            return tag;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Removes this image's other content-hash tags (older builds of the app); one in use by a container stays.</summary>
    private static async Task PruneOlderAsync(DockerEngine engine, string current)
    {
        var images = await engine.Client.Images.ListImagesAsync(new global::Docker.DotNet.Models.ImagesListParameters { All = false });
        foreach (var tag in images.SelectMany(i => i.RepoTags ?? []).Where(t => t.StartsWith(Repository + ":", StringComparison.Ordinal) && t != current))
        {
            var hash = tag[(Repository.Length + 1)..];
            if (hash.Length == 16 && hash.All(char.IsAsciiHexDigitLower))
            {
                try
                {
                    await engine.Client.Images.DeleteImageAsync(tag, new global::Docker.DotNet.Models.ImageDeleteParameters());
                }
                catch (global::Docker.DotNet.DockerApiException)
                {
                    // In use by a container of a run still going: it goes next time.
                }
            }
        }
    }

    /// <summary>
    /// checkout calls payments through PAYMENTS_URL, as in the local target's tests. With <paramref name="paymentsShutdownDelay"/>,
    /// payments keeps serving that long after SIGTERM before it stops listening.
    /// </summary>
    public static SystemUnderTest System(string image, int checkoutReplicas = 1, int paymentsReplicas = 1, TimeSpan? paymentsShutdownDelay = null) => new(
    [
        new ServiceDefinition("checkout")
            .WithLabel("app", "checkout")
            .WithLabel("tier", "web")
            .WithReplicas(checkoutReplicas)
            .AddDependency("payments", "PAYMENTS_URL")
            .AddRuntime(new DockerRuntime(image).WithCommand("--service", "checkout", "--urls", "http://+:8080")),
        new ServiceDefinition("payments")
            .WithLabel("app", "payments")
            .WithLabel("tier", "backend")
            .WithReplicas(paymentsReplicas)
            .AddRuntime(new DockerRuntime(image).WithCommand(
                paymentsShutdownDelay is { } delay
                    ? ["--service", "payments", "--urls", "http://+:8080", "--shutdown-delay-ms", ((int)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]
                    : ["--service", "payments", "--urls", "http://+:8080"])),
    ]);
}
