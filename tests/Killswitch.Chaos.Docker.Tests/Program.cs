using Killswitch.Chaos.Docker.Tests.Infrastructure;

namespace Killswitch.Chaos.Docker.Tests;

/// <summary>
/// The test assembly doubles as the crash test's driver: <c>dotnet Killswitch.Chaos.Docker.Tests.dll --driver DIR IMAGE</c>
/// starts the system on the Docker target, injects a 5 s latency into payments, prints the journal path and run id, and
/// waits to be SIGKILLed. (The test host never calls this Main.)
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["--driver", var journalDirectory, var image])
        {
            await Console.Error.WriteLineAsync("Usage: --driver JOURNAL_DIR IMAGE");
            return 2;
        }

        var target = new DockerTarget(TestImage.System(image), new DockerTargetOptions { JournalDirectory = journalDirectory });
        await target.StartAsync();
        var payments = (await target.GetInstancesAsync()).Where(i => i.Service == "payments").ToArray();
        var latency = new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromSeconds(5) };
        await target.InjectAsync(new FaultInjection("latency-1-1", latency, payments, new Random(1), new ChaosTimeline()));
        Console.WriteLine($"READY {target.JournalPath} {target.RunId}");
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
