using System.Diagnostics;
using System.Reflection;
using Killswitch.Chaos.Local;

namespace Killswitch.Chaos.Tests.Infrastructure;

/// <summary>The two-service system of tests/Killswitch.Chaos.TestApp: checkout calls payments through PAYMENTS_URL.</summary>
internal static class TestApp
{
    public static string Path { get; } = typeof(TestApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestAppPath").Value!;

    public static SystemUnderTest System(int checkoutReplicas = 1, int paymentsReplicas = 1) => new(
    [
        new ServiceDefinition("checkout")
            .WithLabel("app", "checkout")
            .WithLabel("tier", "web")
            .WithReplicas(checkoutReplicas)
            .AddDependency("payments", "PAYMENTS_URL")
            .AddRuntime(LocalProcessRuntime.DotNet(Path, "--service", "checkout")),
        new ServiceDefinition("payments")
            .WithLabel("app", "payments")
            .WithLabel("tier", "backend")
            .WithReplicas(paymentsReplicas)
            .AddRuntime(LocalProcessRuntime.DotNet(Path, "--service", "payments")),
    ]);

    /// <summary>Median latency of <paramref name="count"/> sequential GETs: robust to the odd slow request on a busy 2-core machine.</summary>
    public static async Task<TimeSpan> MedianAsync(HttpClient http, Uri uri, int count = 15, CancellationToken cancellationToken = default)
    {
        var samples = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(uri, cancellationToken);
            response.EnsureSuccessStatusCode();
            samples.Add(Stopwatch.GetElapsedTime(started));
        }

        samples.Sort();
        return samples[count / 2];
    }

    /// <summary>
    /// Alternates GETs to <paramref name="slow"/> and <paramref name="fast"/>; returns the median of the per-pair
    /// differences and the fastest <paramref name="fast"/> answer.
    /// </summary>
    public static async Task<(TimeSpan MedianAdded, TimeSpan FastestBaseline)> PairedAsync(HttpClient http, Uri slow, Uri fast, int count, CancellationToken cancellationToken)
    {
        var added = new List<TimeSpan>(count);
        var fastest = TimeSpan.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var a = await TimeAsync(http, slow, cancellationToken);
            var b = await TimeAsync(http, fast, cancellationToken);
            added.Add(a - b);
            fastest = b < fastest ? b : fastest;
        }

        added.Sort();
        return (added[count / 2], fastest);
    }

    private static async Task<TimeSpan> TimeAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(uri, cancellationToken);
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started);
    }

    public static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
}

/// <summary>One running system shared by the integration tests of a class (starting processes costs seconds).</summary>
public sealed class LocalSystemFixture : IAsyncLifetime
{
    public string JournalDirectory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "killswitch-tests", Guid.NewGuid().ToString("N"));

    internal LocalTarget Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Target = new LocalTarget(TestApp.System(checkoutReplicas: 1, paymentsReplicas: 2), new LocalTargetOptions { JournalDirectory = JournalDirectory });
        await Target.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Target.DisposeAsync();
        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }
    }
}

/// <summary>
/// The tests that start real processes run one class at a time: on a 2-core machine, a class starting three .NET
/// processes starves the timers of a class measuring a 200 ms ± 20 ms latency.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LocalProcessesGroup
{
    public const string Name = "local processes";
}
