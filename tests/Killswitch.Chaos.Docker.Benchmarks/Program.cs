using System.Diagnostics;
using System.Globalization;
using Killswitch.Chaos;
using Killswitch.Chaos.Docker;
using Killswitch.Chaos.Docker.Tests.Infrastructure;

// dotnet run -c Release --project tests/Killswitch.Chaos.Docker.Benchmarks [-- runs [latency]]
// Needs the engine and build/images/all.sh. Each figure: median (min-max) over the runs, in milliseconds.
// With "latency" only the latency mechanisms are measured (nfqueue vs proxy: inject, revert, accuracy).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var journal = Path.Combine(Path.GetTempPath(), "killswitch-docker-bench", Guid.NewGuid().ToString("N"));
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {runs} runs");

var sw = Stopwatch.StartNew();
var image = await TestImage.BuildAsync();
Console.WriteLine($"test image {image} ready in {sw.ElapsedMilliseconds} ms (0 to build when its hash tag exists)");
await LatencyMechanismsAsync(image, journal, runs);
if (args.Length > 1 && args[1] == "latency")
{
    Directory.Delete(journal, recursive: true);
    return;
}

var start = new List<double>();
var stop = new List<double>();
for (var i = 0; i < Math.Min(runs, 3); i++)
{
    var target = new DockerTarget(TestImage.System(image, 1, 2), new DockerTargetOptions { JournalDirectory = journal });
    sw.Restart();
    await target.StartAsync();
    start.Add(sw.Elapsed.TotalMilliseconds);
    sw.Restart();
    await target.DisposeAsync();
    stop.Add(sw.Elapsed.TotalMilliseconds);
}

Row("start the test system (network + 3 containers ready, checkout x1 + payments x2)", start);
Row("dispose it (containers and network removed)", stop);

await using (var target = new DockerTarget(TestImage.System(image, 1, 2), new DockerTargetOptions { JournalDirectory = journal }))
{
    await target.StartAsync();
    using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
    var pay = new Uri(target.GetEndpoint("payments"), "/pay");
    var random = new Random(1);
    var n = 0;

    foreach (var force in new[] { true, false })
    {
        var inject = new List<double>();
        var replaced = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var victim = (await target.GetInstancesAsync()).First(x => x.Service == "payments");
            var fault = new PodKillOptions { Selector = "app=payments", Force = force };
            sw.Restart();
            var handle = await target.InjectAsync(new FaultInjection($"pod-kill-{++n}", fault, [victim], random, new ChaosTimeline()));
            inject.Add(sw.Elapsed.TotalMilliseconds);
            var proof = await handle.VerifyAsync();
            await handle.RevertAsync();
            if (proof.RecoveryTime is { } recovery)
            {
                replaced.Add(recovery.TotalMilliseconds);
            }
            else
            {
                Console.WriteLine("no replacement: " + proof.Message);
            }
        }

        Row($"PodKill inject, {(force ? "SIGKILL" : "SIGTERM")} (journal + kill call)", inject);
        Row($"PodKill to replacement ready, {(force ? "SIGKILL" : "SIGTERM")}", replaced);
    }

    var faults = new (string Name, Func<NetworkFaultOptions> Create)[]
    {
        ("latency 200 ms", () => new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromMilliseconds(200) }),
        ("blackhole", () => new BlackholeOptions { Selector = "app=payments" }),
        ("bandwidth 10 kB/s", () => new BandwidthOptions { Selector = "app=payments", BytesPerSecond = 10_000 }),
        ("reset-peer", () => new ResetPeerOptions { Selector = "app=payments" }),
    };
    string? mechanism = null;
    foreach (var (name, create) in faults)
    {
        var inject = new List<double>();
        var revert = new List<double>();
        for (var i = 0; i < (name.StartsWith("latency", StringComparison.Ordinal) ? runs : Math.Min(runs, 3)); i++)
        {
            var victim = (await target.GetInstancesAsync()).First(x => x.Service == "payments");
            sw.Restart();
            var handle = await target.InjectAsync(new FaultInjection($"{name.Split(' ')[0]}-{++n}", create(), [victim], random, new ChaosTimeline()));
            inject.Add(sw.Elapsed.TotalMilliseconds);
            if (name.StartsWith("latency", StringComparison.Ordinal))
            {
                for (var r = 0; r < 4; r++)
                {
                    using var response = await http.GetAsync(pay);
                }

                mechanism ??= (await handle.VerifyAsync()).Message;
            }

            sw.Restart();
            await handle.RevertAsync();
            revert.Add(sw.Elapsed.TotalMilliseconds);
        }

        Row($"{name}: inject (helper container started, agent ready)", inject);
        Row($"{name}: revert (agent stopped, rules gone, helper removed)", revert);
    }

    Console.WriteLine("latency proof: " + mechanism);
}

sw.Restart();
await using (var sweeper = new DockerTarget(TestImage.System(image), new DockerTargetOptions { JournalDirectory = journal }))
{
    await sweeper.SweepAsync();
}

Console.WriteLine($"sweep with nothing to sweep: {sw.ElapsedMilliseconds} ms");
Directory.Delete(journal, recursive: true);

// Latency 200 ms through each mechanism that works on this kernel. Accuracy: every request's duration minus the injected
// 200 ms, on checkout's /checkout (checkout -> payments over checkout's pooled keep-alive connection, the case only a
// packet-level mechanism reaches) for nfqueue, and on payments' /pay over a new connection per request for the proxy.
static async Task LatencyMechanismsAsync(string image, string journal, int runs)
{
    var injected = TimeSpan.FromMilliseconds(200);
    foreach (var mechanism in new[] { NetworkFaultMechanism.Nfqueue, NetworkFaultMechanism.Proxy })
    {
        await using var target = new DockerTarget(TestImage.System(image, 1, 1), new DockerTargetOptions { JournalDirectory = journal, NetworkFaultMechanism = mechanism });
        await target.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
        var uri = mechanism == NetworkFaultMechanism.Nfqueue ? new Uri(target.GetEndpoint("checkout"), "/checkout") : new Uri(target.GetEndpoint("payments"), "/pay");
        var baseline = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            baseline.Add(await TimeAsync(http, uri));
        }

        var inject = new List<double>();
        var revert = new List<double>();
        var added = new List<double>();
        string? proof = null;
        var sw = new Stopwatch();
        for (var run = 0; run < runs; run++)
        {
            var victim = (await target.GetInstancesAsync()).First(x => x.Service == "payments");
            sw.Restart();
            var handle = await target.InjectAsync(new FaultInjection($"latency-m{run}", new LatencyOptions { Selector = "app=payments", Latency = injected }, [victim], new Random(run), new ChaosTimeline()));
            inject.Add(sw.Elapsed.TotalMilliseconds);
            for (var i = 0; i < 3; i++)
            {
                await TimeAsync(http, uri); // the proxy's first connections pay for its JIT, not for the fault
            }

            for (var i = 0; i < 40; i++)
            {
                added.Add(await TimeAsync(http, uri) - injected.TotalMilliseconds);
            }

            proof ??= (await handle.VerifyAsync()).Message;
            sw.Restart();
            await handle.RevertAsync();
            revert.Add(sw.Elapsed.TotalMilliseconds);
        }

        var name = mechanism.ToString().ToLowerInvariant();
        Row($"latency 200 ms via {name}: inject (helper started, agent ready)", inject);
        Row($"latency 200 ms via {name}: revert (agent stopped, rules gone, helper removed)", revert);
        baseline.Sort();
        added.Sort();
        Console.WriteLine($"| latency 200 ms via {name}: request minus 200 ms, p50 / p99 (n={added.Count}; baseline without fault p50 {baseline[baseline.Count / 2]:0.0} ms) | {added[added.Count / 2]:0.0} ms / {added[(int)Math.Ceiling(added.Count * 0.99) - 1]:0.0} ms |");
        Console.WriteLine($"proof ({name}): {proof}");
    }

    static async Task<double> TimeAsync(HttpClient http, Uri uri)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(uri);
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}

static void Row(string figure, List<double> values)
{
    if (values.Count == 0)
    {
        Console.WriteLine($"| {figure} | n/a |");
        return;
    }

    values.Sort();
    Console.WriteLine($"| {figure} | {values[values.Count / 2]:0} ms ({values[0]:0}–{values[^1]:0}, n={values.Count}) |");
}
