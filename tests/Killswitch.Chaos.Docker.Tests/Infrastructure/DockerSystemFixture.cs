using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Images;

namespace Killswitch.Chaos.Docker.Tests.Infrastructure;

/// <summary>One running system (checkout x1, payments x2) shared by a class's tests: starting containers costs seconds.</summary>
public sealed class DockerSystemFixture : IAsyncLifetime
{
    public string JournalDirectory { get; } = Path.Combine(Path.GetTempPath(), "killswitch-docker-tests", Guid.NewGuid().ToString("N"));

    /// <summary>After SIGTERM payments keeps serving this long: the window in which a graceful PodKill's drain shows.</summary>
    public static TimeSpan PaymentsShutdownDelay { get; } = TimeSpan.FromSeconds(2);

    internal DockerTarget? Target { get; private set; }

    public async Task InitializeAsync()
    {
        if (DockerEnvironment.Unavailable is not null)
        {
            return; // The tests skip (or fail in CI) with the reason.
        }

        var image = await TestImage.BuildAsync();
        Target = new DockerTarget(TestImage.System(image, checkoutReplicas: 1, paymentsReplicas: 2, paymentsShutdownDelay: PaymentsShutdownDelay), new DockerTargetOptions { JournalDirectory = JournalDirectory });
        await Target.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Target is not null)
        {
            await Target.DisposeAsync();
        }

        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }
    }
}

/// <summary>The Docker tests run one class at a time: a class starting containers would skew another's latency figures.</summary>
[CollectionDefinition(Name)]
public sealed class DockerGroup
{
    public const string Name = "docker engine";
}

/// <summary>What the engine holds, asked independently of the target under test.</summary>
internal static class EngineState
{
    public static async Task<IReadOnlyList<string>> ContainersAsync(string runId)
    {
        using var engine = DockerEngine.Connect();
        var containers = await engine.ListContainersAsync($"{DockerTargetConstants.RunIdLabel}={runId}", CancellationToken.None);
        return [.. containers.Select(c => c.Names.First().TrimStart('/') + " " + c.State)];
    }

    public static async Task<IReadOnlyList<string>> NetworksAsync(string runId)
    {
        using var engine = DockerEngine.Connect();
        var networks = await engine.ListNetworksAsync($"{DockerTargetConstants.RunIdLabel}={runId}", CancellationToken.None);
        return [.. networks.Select(n => n.Name)];
    }

    /// <summary>Every iptables rule (all tables) in <paramref name="container"/>'s network namespace, read by a throwaway tools container.</summary>
    public static async Task<string> RulesAsync(string container)
    {
        var reader = new ContainerBuilder(DockerTargetConstants.DefaultToolsImage)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithEntrypoint("iptables-save")
            .WithLabel("killswitch.dev/test", "iptables-rules")
            .WithCleanUp(false)
            .WithCreateParameterModifier(p =>
            {
                p.HostConfig ??= new global::Docker.DotNet.Models.HostConfig();
                p.HostConfig.NetworkMode = "container:" + container;
                p.HostConfig.CapAdd = ["NET_ADMIN"];
            })
            .WithWaitStrategy(Wait.ForUnixContainer())
            .Build();
        try
        {
            await reader.StartAsync();
            await reader.GetExitCodeAsync();
            var (stdout, stderr) = await reader.GetLogsAsync(timestampsEnabled: false);
            return stdout + stderr;
        }
        finally
        {
            // Without Ryuk (WithCleanUp(false)) disposing does not remove an exited container: remove it here.
            using var engine = DockerEngine.Connect();
            await engine.RemoveContainerAsync(reader.Id, CancellationToken.None);
            await reader.DisposeAsync();
        }
    }
}

/// <summary>Latency measurements robust to a busy 2-core machine (medians, interleaved pairs).</summary>
internal static class Measure
{
    /// <summary>A client that opens a new connection per request: the agent redirects new connections only.</summary>
    public static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<TimeSpan> TimeAsync(HttpClient http, Uri uri, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(uri, cancellationToken);
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started);
    }

    public static async Task<TimeSpan> MedianAsync(HttpClient http, Uri uri, int count, CancellationToken cancellationToken = default)
    {
        var samples = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            samples.Add(await TimeAsync(http, uri, cancellationToken));
        }

        samples.Sort();
        return samples[count / 2];
    }

    /// <summary>Interleaved pairs: the median of (slow - fast) and each series' fastest request (its floor).</summary>
    public static async Task<Pairs> PairedAsync(HttpClient http, Uri slow, Uri fast, int count, CancellationToken cancellationToken = default)
    {
        var added = new List<TimeSpan>(count);
        var slowFloor = TimeSpan.MaxValue;
        var fastFloor = TimeSpan.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var a = await TimeAsync(http, slow, cancellationToken);
            var b = await TimeAsync(http, fast, cancellationToken);
            added.Add(a - b);
            slowFloor = a < slowFloor ? a : slowFloor;
            fastFloor = b < fastFloor ? b : fastFloor;
        }

        added.Sort();
        return new Pairs(added[count / 2], slowFloor, fastFloor);
    }

    public sealed record Pairs(TimeSpan MedianAdded, TimeSpan SlowFloor, TimeSpan FastFloor);
}
