using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Killswitch.Chaos;
using Killswitch.Chaos.Local;
using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

// dotnet run -c Release --project tests/Killswitch.Chaos.Benchmarks [-- proxy|http|memory|faults ...] [--isolate [--inline-completions]]
//   --isolate: the proxy runs in a child process pinned to the last core (taskset), the client and the servers on the
//   others, so the figure says whether the proxy keeps up with the traffic rather than how 2 cores are shared.
//   --inline-completions: that child runs socket continuations on .NET's epoll thread instead of the thread pool
//   (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1), what a proxy with its own event loop would save per hop.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args is ["proxy-server", ..])
{
    await IsolatedProxy.ServeAsync(args[1..]);
    return;
}

var isolate = args.Contains("--isolate");
IsolatedProxy.InlineCompletions = args.Contains("--inline-completions");
var parts = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
bool Wanted(string part) => parts.Count == 0 || parts.Contains(part);
var appPath = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestAppPath").Value!;

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
if (Wanted("proxy"))
{
    await ProxyOverhead.RunAsync(isolate);
}

if (Wanted("http"))
{
    await HttpOverhead.RunAsync(appPath);
}

if (Wanted("memory"))
{
    await Memory.RunAsync();
}

if (Wanted("faults"))
{
    await Faults.RunAsync(appPath);
}

internal static class Stats
{
    public static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Median(List<double> values)
    {
        values.Sort();
        return Percentile(values, 50);
    }
}

internal static class Servers
{
    public static Socket Listen()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.Listen(2048);
        return s;
    }

    /// <summary>Echo: every byte back. Sink: read and discard.</summary>
    public static async Task ServeAsync(Socket listener, bool echo, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket peer;
            try
            {
                peer = await listener.AcceptAsync(ct);
            }
            catch (Exception)
            {
                return;
            }

            peer.NoDelay = true;
            _ = Task.Run(async () =>
            {
                using (peer)
                {
                    var buffer = new byte[echo ? 4 * 1024 : 64 * 1024];
                    try
                    {
                        int read;
                        while ((read = await peer.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                        {
                            if (echo)
                            {
                                await peer.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                            }
                        }
                    }
                    catch (SocketException)
                    {
                    }
                }
            }, CancellationToken.None);
        }
    }

    public static async Task<Socket> ConnectAsync(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }
}

internal static class ProxyOverhead
{
    private static readonly TimeSpan RoundTripDuration = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(bool isolate)
    {
        using var cts = new CancellationTokenSource();
        using var echo = Servers.Listen();
        using var sink = Servers.Listen();
        _ = Servers.ServeAsync(echo, echo: true, cts.Token);
        _ = Servers.ServeAsync(sink, echo: false, cts.Token);
        var echoEndPoint = (IPEndPoint)echo.LocalEndPoint!;
        var sinkEndPoint = (IPEndPoint)sink.LocalEndPoint!;
        var echoPort = echoEndPoint.Port;
        var sinkPort = sinkEndPoint.Port;
        await using var proxies = isolate
            ? await IsolatedProxy.StartAsync(echoEndPoint, sinkEndPoint)
            : IsolatedProxy.InProcess(echoEndPoint, sinkEndPoint);
        var echoProxy = proxies.Echo;
        var sinkProxy = proxies.Sink;
        Console.WriteLine(isolate
            ? $"Proxy in its own process on core {IsolatedProxy.ProxyCore}{(IsolatedProxy.InlineCompletions ? " (inline socket completions)" : string.Empty)}; client and servers on cores {IsolatedProxy.OtherCores}."
            : "Client, proxy and servers in this process, sharing every core.");

        const int roundTrips = 20_000;
        await RoundTripsAsync(echoPort, 2_000);
        await RoundTripsAsync(echoProxy.Port, 2_000);
        var direct = await RoundTripsAsync(echoPort, roundTrips);
        var proxied = await RoundTripsAsync(echoProxy.Port, roundTrips);
        Console.WriteLine();
        Console.WriteLine($"## Proxy overhead at zero latency ({roundTrips} round trips of 64 bytes, one connection)");
        Console.WriteLine("| | p50 | p99 |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| direct loopback | {direct.P50:0.000} ms | {direct.P99:0.000} ms |");
        Console.WriteLine($"| through the proxy | {proxied.P50:0.000} ms | {proxied.P99:0.000} ms |");
        Console.WriteLine($"| added | {proxied.P50 - direct.P50:0.000} ms | {proxied.P99 - direct.P99:0.000} ms |");

        const long bytes = 1L << 30;
        await ThroughputAsync(sinkPort, bytes / 8);
        await ThroughputAsync(sinkProxy.Port, bytes / 8);
        // CPU time of this process (client + sink or echo server, and the proxy when in process): steadier than a rate
        // on a shared machine (though not immune: softirq work lands on whoever runs), so proxied minus direct
        // estimates what the proxy's hop costs.
        var cpu = new CpuMeter();
        var directRate = Stats.Median([await ThroughputAsync(sinkPort, bytes), await ThroughputAsync(sinkPort, bytes), await ThroughputAsync(sinkPort, bytes)]);
        var directCpu = cpu.Lap() / 3;
        var proxiedRate = Stats.Median([await ThroughputAsync(sinkProxy.Port, bytes), await ThroughputAsync(sinkProxy.Port, bytes), await ThroughputAsync(sinkProxy.Port, bytes)]);
        var proxiedCpu = cpu.Lap() / 3;
        Console.WriteLine();
        Console.WriteLine("## Proxy throughput (1 GiB one way, 64 KiB writes, median of 3)");
        Console.WriteLine($"direct {directRate:0} MiB/s, through the proxy {proxiedRate:0} MiB/s: {(1 - (proxiedRate / directRate)) * 100:0.0}% loss");
        var where = isolate ? "this process (client and servers; the proxy's own process is not counted)" : "this process";
        Console.WriteLine($"CPU time per GiB in {where}: direct {directCpu.TotalMilliseconds:0} ms, through the proxy {proxiedCpu.TotalMilliseconds:0} ms");

        // Request/response throughput, the shape of HTTP traffic: 4 connections in parallel, 64-byte round trips.
        cpu.Lap();
        var directOps = await ParallelRoundTripsAsync(echoPort);
        directCpu = cpu.Lap();
        var proxiedOps = await ParallelRoundTripsAsync(echoProxy.Port);
        proxiedCpu = cpu.Lap();
        Console.WriteLine($"request/response (4 connections, 64 B): direct {directOps:0} round trips/s, through the proxy {proxiedOps:0}/s: {(1 - (proxiedOps / directOps)) * 100:0.0}% loss");
        Console.WriteLine($"CPU time per round trip in {where}: direct {PerOp(directCpu, directOps):0.0} µs, through the proxy {PerOp(proxiedCpu, proxiedOps):0.0} µs");
        await cts.CancelAsync();
    }

    private static double PerOp(TimeSpan cpu, double opsPerSecond) => cpu.TotalMilliseconds * 1000 / (opsPerSecond * RoundTripDuration.TotalSeconds);

    private static async Task<(double P50, double P99)> RoundTripsAsync(int port, int count)
    {
        using var socket = await Servers.ConnectAsync(port);
        var message = new byte[64];
        var reply = new byte[64];
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await socket.SendAsync(message, SocketFlags.None);
            var got = 0;
            while (got < 64)
            {
                got += await socket.ReceiveAsync(reply.AsMemory(got), SocketFlags.None);
            }

            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        samples.Sort();
        return (Stats.Percentile(samples, 50), Stats.Percentile(samples, 99));
    }

    private static async Task<double> ParallelRoundTripsAsync(int port)
    {
        var duration = RoundTripDuration;
        var tasks = Enumerable.Range(0, 4).Select(async _ =>
        {
            using var socket = await Servers.ConnectAsync(port);
            var message = new byte[64];
            var reply = new byte[64];
            var n = 0L;
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                await socket.SendAsync(message, SocketFlags.None);
                var got = 0;
                while (got < 64)
                {
                    got += await socket.ReceiveAsync(reply.AsMemory(got), SocketFlags.None);
                }

                n++;
            }

            return n;
        }).ToArray();
        var total = (await Task.WhenAll(tasks)).Sum();
        return total / duration.TotalSeconds;
    }

    private static async Task<double> ThroughputAsync(int port, long bytes)
    {
        using var socket = await Servers.ConnectAsync(port);
        var chunk = new byte[64 * 1024];
        var started = Stopwatch.GetTimestamp();
        for (long sent = 0; sent < bytes; sent += chunk.Length)
        {
            await socket.SendAsync(chunk, SocketFlags.None);
        }

        socket.Shutdown(SocketShutdown.Send);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return bytes / (1024.0 * 1024.0) / elapsed;
    }
}

/// <summary>The proxies the overhead figures go through: in this process, or in a pinned child process.</summary>
internal sealed class IsolatedProxy : IAsyncDisposable
{
    private readonly Process? _child;
    private readonly TcpProxy? _echo;
    private readonly TcpProxy? _sink;

    private IsolatedProxy(Process? child, TcpProxy? echo, TcpProxy? sink, int echoPort, int sinkPort)
    {
        _child = child;
        _echo = echo;
        _sink = sink;
        Echo = new ProxyPort(echoPort);
        Sink = new ProxyPort(sinkPort);
    }

    public static int ProxyCore => Environment.ProcessorCount - 1;

    /// <summary>The child runs socket continuations inline on the epoll thread (see the usage line at the top).</summary>
    public static bool InlineCompletions { get; set; }

    public static string OtherCores => Environment.ProcessorCount == 2 ? "0" : $"0-{Environment.ProcessorCount - 2}";

    public ProxyPort Echo { get; }

    public ProxyPort Sink { get; }

    public static IsolatedProxy InProcess(IPEndPoint echo, IPEndPoint sink)
    {
        var echoProxy = new TcpProxy("echo", TimeProvider.System, NullLogger.Instance);
        echoProxy.AddBackend("echo-1", echo);
        var sinkProxy = new TcpProxy("sink", TimeProvider.System, NullLogger.Instance);
        sinkProxy.AddBackend("sink-1", sink);
        return new IsolatedProxy(null, echoProxy, sinkProxy, echoProxy.Port, sinkProxy.Port);
    }

    /// <summary>Starts this harness as <c>proxy-server</c> under <c>taskset</c> and pins the calling process to the other cores.</summary>
    public static async Task<IsolatedProxy> StartAsync(IPEndPoint echo, IPEndPoint sink)
    {
        if (Environment.ProcessorCount < 2)
        {
            throw new InvalidOperationException("--isolate needs at least 2 cores.");
        }

        // Pin every thread of this process (taskset -a) to the cores the proxy does not use.
        using (var pin = Process.Start("taskset", ["-a", "-p", "-c", OtherCores, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await pin.WaitForExitAsync();
        }

        var start = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardInput = true };
        if (InlineCompletions)
        {
            start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
        }

        foreach (var arg in new[] { "-c", ProxyCore.ToString(CultureInfo.InvariantCulture), Environment.ProcessPath!, typeof(IsolatedProxy).Assembly.Location, "proxy-server", echo.ToString(), sink.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        var child = Process.Start(start)!;
        var line = await child.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The proxy process ended before printing its ports.");
        var ports = line.Split(' ').Select(int.Parse).ToArray();
        return new IsolatedProxy(child, null, null, ports[0], ports[1]);
    }

    /// <summary>The child: a proxy to each backend given, prints their ports, serves until stdin closes.</summary>
    public static async Task ServeAsync(string[] backends)
    {
        var proxies = new List<TcpProxy>();
        foreach (var backend in backends)
        {
            var proxy = new TcpProxy(backend, TimeProvider.System, NullLogger.Instance);
            proxy.AddBackend("backend-1", IPEndPoint.Parse(backend));
            proxies.Add(proxy);
        }

        Console.WriteLine(string.Join(' ', proxies.Select(p => p.Port)));
        await Console.In.ReadToEndAsync();
        foreach (var proxy in proxies)
        {
            await proxy.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_child is not null)
        {
            _child.StandardInput.Close();
            await _child.WaitForExitAsync();
            _child.Dispose();
        }

        if (_echo is not null)
        {
            await _echo.DisposeAsync();
        }

        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }
    }
}

internal sealed record ProxyPort(int Port);

/// <summary>
/// What a user of the local target sees: HTTP requests to a real ASP.NET Core replica (its own process), straight to
/// the replica's port and through the service's proxy, closed loop. The 64-byte echo above measures the proxy against
/// the cheapest possible server; this measures it against a real one.
/// </summary>
internal static class HttpOverhead
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(string appPath)
    {
        var system = new SystemUnderTest(
        [
            new ServiceDefinition("payments").WithLabel("app", "payments").AddRuntime(LocalProcessRuntime.DotNet(appPath, "--service", "payments")),
        ]);
        var journal = Path.Combine(Path.GetTempPath(), "killswitch-bench", Guid.NewGuid().ToString("N"));
        await using var target = new LocalTarget(system, new LocalTargetOptions { JournalDirectory = journal });
        using var cleanup = new DirectoryCleanup(journal);
        await target.StartAsync();
        var replica = (await target.GetInstancesAsync()).Single();
        var direct = new Uri(replica.Endpoint, "/pay");
        var proxied = new Uri(target.GetEndpoint("payments"), "/pay");
        Console.WriteLine();
        Console.WriteLine($"## HTTP GET /pay on a real ASP.NET Core replica, direct and through the local target's service proxy (closed loop, keep-alive, {Duration.TotalSeconds:0} s per run, direct and proxied alternating twice)");
        Console.WriteLine("| concurrent requests | direct | through the proxy | loss | p50 direct / proxied | p99 direct / proxied |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var concurrency in new[] { 1, 4, 16 })
        {
            await LoadAsync(direct, concurrency, TimeSpan.FromSeconds(1));
            await LoadAsync(proxied, concurrency, TimeSpan.FromSeconds(1));
            var d1 = await LoadAsync(direct, concurrency, Duration);
            var p1 = await LoadAsync(proxied, concurrency, Duration);
            var d2 = await LoadAsync(direct, concurrency, Duration);
            var p2 = await LoadAsync(proxied, concurrency, Duration);
            var directRate = (d1.Count + d2.Count) / (2 * Duration.TotalSeconds);
            var proxiedRate = (p1.Count + p2.Count) / (2 * Duration.TotalSeconds);
            List<double> directLatency = [.. d1, .. d2];
            List<double> proxiedLatency = [.. p1, .. p2];
            directLatency.Sort();
            proxiedLatency.Sort();
            Console.WriteLine($"| {concurrency} | {directRate:0} req/s | {proxiedRate:0} req/s | {(1 - (proxiedRate / directRate)) * 100:0.0}% | {Stats.Percentile(directLatency, 50):0.000} / {Stats.Percentile(proxiedLatency, 50):0.000} ms | {Stats.Percentile(directLatency, 99):0.000} / {Stats.Percentile(proxiedLatency, 99):0.000} ms |");
        }
    }

    /// <summary>Every request's latency in ms, <paramref name="concurrency"/> loops for <paramref name="duration"/>.</summary>
    private static async Task<List<double>> LoadAsync(Uri uri, int concurrency, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false };
        using var client = new HttpClient(handler);
        var loops = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var latencies = new List<double>();
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(uri);
                response.EnsureSuccessStatusCode();
                if (await response.Content.ReadAsStringAsync() != "paid")
                {
                    throw new InvalidOperationException($"{uri} did not answer 'paid'.");
                }

                latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }

            return latencies;
        }).ToArray();
        return [.. (await Task.WhenAll(loops)).SelectMany(l => l)];
    }
}

internal static class Memory
{
    public static async Task RunAsync()
    {
        using var cts = new CancellationTokenSource();
        using var echo = Servers.Listen();
        _ = Servers.ServeAsync(echo, echo: true, cts.Token);
        await using var proxy = new TcpProxy("echo", TimeProvider.System, NullLogger.Instance);
        proxy.AddBackend("echo-1", (IPEndPoint)echo.LocalEndPoint!);
        GC.Collect();
        var before = Environment.WorkingSet;
        var clients = new List<Socket>();
        for (var i = 0; i < 1_000; i++)
        {
            var s = await Servers.ConnectAsync(proxy.Port);
            await s.SendAsync(new byte[64], SocketFlags.None);
            var got = 0;
            var reply = new byte[64];
            while (got < 64)
            {
                got += await s.ReceiveAsync(reply.AsMemory(got), SocketFlags.None);
            }

            clients.Add(s);
        }

        GC.Collect();
        var after = Environment.WorkingSet;
        Console.WriteLine();
        Console.WriteLine("## Memory with 1,000 proxied connections open (each after one 64-byte round trip)");
        Console.WriteLine($"resident set of the whole harness process (engine + proxy + 1,000 client sockets + the echo server's 1,000 sockets with a 4 KiB buffer each): {after / (1024.0 * 1024):0.0} MiB; growth from opening the connections: {(after - before) / (1024.0 * 1024):0.0} MiB; managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024):0.0} MiB");
        foreach (var c in clients)
        {
            c.Dispose();
        }

        await cts.CancelAsync();
    }
}

internal static class Faults
{
    public static async Task RunAsync(string appPath)
    {
        var system = new SystemUnderTest(
        [
            new ServiceDefinition("checkout").WithLabel("app", "checkout").AddDependency("payments", "PAYMENTS_URL").AddRuntime(LocalProcessRuntime.DotNet(appPath, "--service", "checkout")),
            new ServiceDefinition("payments").WithLabel("app", "payments").WithReplicas(2).AddRuntime(LocalProcessRuntime.DotNet(appPath, "--service", "payments")),
        ]);
        var journal = Path.Combine(Path.GetTempPath(), "killswitch-bench", Guid.NewGuid().ToString("N"));
        await using var target = new LocalTarget(system, new LocalTargetOptions { JournalDirectory = journal });
        using var cleanup = new DirectoryCleanup(journal);
        var started = Stopwatch.GetTimestamp();
        await target.StartAsync();
        var startup = Stopwatch.GetElapsedTime(started);
        var timeline = new ChaosTimeline();
        var random = new Random(1);
        Console.WriteLine();
        Console.WriteLine($"## Inject and revert on the local target (median of 20; includes the journal write before each change); system of 3 replicas started in {startup.TotalMilliseconds:0} ms");
        Console.WriteLine("| fault | inject | revert |");
        Console.WriteLine("|---|---|---|");
        FaultOptions[] network =
        [
            new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromMilliseconds(200) },
            new ResetPeerOptions { Selector = "app=payments" },
            new BlackholeOptions { Selector = "app=payments" },
            new BandwidthOptions { Selector = "app=payments", BytesPerSecond = 10_000 },
        ];
        foreach (var fault in network)
        {
            var inject = new List<double>();
            var revert = new List<double>();
            for (var i = 0; i < 21; i++)
            {
                var payments = (await target.GetInstancesAsync()).Where(x => x.Service == "payments").ToArray();
                var t0 = Stopwatch.GetTimestamp();
                var handle = await target.InjectAsync(new FaultInjection($"{fault.Kind}-{i}", fault, payments, random, timeline));
                var t1 = Stopwatch.GetTimestamp();
                await handle.RevertAsync();
                var t2 = Stopwatch.GetTimestamp();
                if (i > 0)
                {
                    inject.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    revert.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                }
            }

            Console.WriteLine($"| {fault.Kind} | {Stats.Median(inject):0.000} ms | {Stats.Median(revert):0.000} ms |");
        }

        var kill = new List<double>();
        var ready = new List<double>();
        foreach (var force in new[] { true, true, true, true, true, false, false, false, false, false })
        {
            var victim = (await target.GetInstancesAsync()).First(x => x.Service == "payments" && x.State == InstanceState.Ready);
            var fault = new PodKillOptions { Selector = "app=payments", Force = force };
            var t0 = Stopwatch.GetTimestamp();
            var handle = await target.InjectAsync(new FaultInjection($"pod-kill-{kill.Count}", fault, [victim], random, timeline));
            kill.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            var proof = await handle.VerifyAsync();
            await handle.RevertAsync();
            ready.Add(proof.RecoveryTime!.Value.TotalMilliseconds);
            if (!proof.TookEffect)
            {
                Console.WriteLine("PodKill did not take effect: " + proof.Message);
            }
        }

        Console.WriteLine($"| pod-kill (signal sent) | {Stats.Median(kill):0.000} ms | n/a (the replica set replaces it) |");
        var forced = ready.Take(5).ToList();
        var graceful = ready.Skip(5).ToList();
        Console.WriteLine();
        Console.WriteLine("## PodKill to replacement ready (kill sent until the new replica answered its readiness path; median of 5, min-max)");
        Console.WriteLine($"SIGKILL: {Stats.Median(forced):0} ms ({forced.Min():0}-{forced.Max():0}); SIGTERM (graceful): {Stats.Median(graceful):0} ms ({graceful.Min():0}-{graceful.Max():0})");
    }
}

/// <summary>CPU time (user + system, every thread) this process used since the last lap.</summary>
internal sealed class CpuMeter
{
    private TimeSpan _last = Process.GetCurrentProcess().TotalProcessorTime;

    public TimeSpan Lap()
    {
        var now = Process.GetCurrentProcess().TotalProcessorTime;
        var lap = now - _last;
        _last = now;
        return lap;
    }
}

internal sealed class DirectoryCleanup(string path) : IDisposable
{
    public void Dispose()
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
