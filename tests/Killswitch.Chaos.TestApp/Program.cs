using Killswitch.Chaos;
using Killswitch.Chaos.Local;

// Roles: --service checkout | --service payments (ASP.NET Core apps), or --driver <journal-dir> (crash-test driver).
// --shutdown-delay-ms N: after SIGTERM, keep serving (listener open) for N ms before stopping, like an app with a preStop hook.
// --port-taken-once MARKER: if MARKER does not exist, create it and hold the --urls port before Kestrel binds it, so this
// start fails as a replica does when another process took its port (Kestrel's own "Address already in use").
var role = Arg(args, "--service");
using var squatter = Arg(args, "--port-taken-once") is { } marker && !File.Exists(marker) ? TakePort(marker, args) : null;
if (Arg(args, "--driver") is { } journalDirectory)
{
    return await Driver.RunAsync(journalDirectory, args);
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
if (Arg(args, "--shutdown-delay-ms") is { } delay)
{
    builder.Services.AddHostedService(_ => new ShutdownDelay(TimeSpan.FromMilliseconds(int.Parse(delay, System.Globalization.CultureInfo.InvariantCulture))));
}

var app = builder.Build();
app.MapGet("/health/ready", () => Results.Ok("ready"));
app.MapGet("/pid", () => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

switch (role)
{
    case "payments":
        app.MapGet("/pay", () => Results.Text("paid"));
        break;
    case "checkout":
        var payments = Environment.GetEnvironmentVariable("PAYMENTS_URL") ?? throw new InvalidOperationException("PAYMENTS_URL is not set.");
        var http = new HttpClient { BaseAddress = new Uri(payments), Timeout = TimeSpan.FromSeconds(10) };
        app.MapGet("/checkout", async () =>
        {
            using var response = await http.GetAsync("/pay");
            return response.IsSuccessStatusCode ? Results.Text("ordered") : Results.StatusCode(502);
        });
        break;
    default:
        Console.Error.WriteLine("Usage: --service checkout|payments --urls http://127.0.0.1:PORT, or --driver JOURNAL_DIR");
        return 2;
}

await app.RunAsync();
return 0;

static System.Net.Sockets.TcpListener TakePort(string marker, string[] args)
{
    File.WriteAllText(marker, "taken");
    var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, new Uri(Arg(args, "--urls")!).Port);
    listener.Start();
    return listener;
}

static string? Arg(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Delays the host's stop: <see cref="StoppingAsync"/> runs before Kestrel stops listening.</summary>
internal sealed class ShutdownDelay(TimeSpan delay) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Crash-test driver: start the system, inject latency, print the journal path, then wait to be killed.</summary>
internal static class Driver
{
    public static async Task<int> RunAsync(string journalDirectory, string[] args)
    {
        var self = typeof(Driver).Assembly.Location;
        var target = new LocalTarget(TestSystem.Create(self), new LocalTargetOptions { JournalDirectory = journalDirectory });
        await target.StartAsync();
        var instances = await target.GetInstancesAsync();
        var payments = instances.Where(i => i.Service == "payments").ToArray();
        var latency = new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromSeconds(5) };
        await target.InjectAsync(new FaultInjection("latency-1-1", latency, payments, new Random(1), new ChaosTimeline()));
        Console.WriteLine("READY " + target.JournalPath + " " + target.GetEndpoint("checkout"));
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}

/// <summary>The two-service system the tests, the benchmark and the driver run.</summary>
internal static class TestSystem
{
    public static SystemUnderTest Create(string appPath, int checkoutReplicas = 1, int paymentsReplicas = 1) => new(
    [
        new ServiceDefinition("checkout")
            .WithLabel("app", "checkout")
            .WithLabel("tier", "web")
            .WithReplicas(checkoutReplicas)
            .AddDependency("payments", "PAYMENTS_URL")
            .AddRuntime(LocalProcessRuntime.DotNet(appPath, "--service", "checkout")),
        new ServiceDefinition("payments")
            .WithLabel("app", "payments")
            .WithLabel("tier", "backend")
            .WithReplicas(paymentsReplicas)
            .AddRuntime(LocalProcessRuntime.DotNet(appPath, "--service", "payments")),
    ]);
}
