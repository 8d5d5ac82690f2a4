using System.Diagnostics;
using Killswitch.Chaos.Docker.Tests.Infrastructure;

namespace Killswitch.Chaos.Docker.Tests;

[Trait("Category", "Integration")]
[Collection(DockerGroup.Name)]
public sealed class CrashSweepTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "killswitch-docker-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [DockerFact]
    public async Task Sweep_DriverSigkilledMidLatency_LeavesNoContainerNoAgentNoNetwork()
    {
        DockerEnvironment.Require();
        var image = await TestImage.BuildAsync();
        var self = typeof(CrashSweepTests).Assembly.Location;
        var driver = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { self, "--driver", _directory, image }, RedirectStandardOutput = true, UseShellExecute = false })!;
        string? ready;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            // Testcontainers logs to stdout too: the driver's line is the one that starts with READY.
            do
            {
                ready = await driver.StandardOutput.ReadLineAsync(cts.Token);
            }
            while (ready is not null && !ready.StartsWith("READY ", StringComparison.Ordinal));
        }
        finally
        {
            // SIGKILL the driver alone: exactly what a CI runner killing a test host does. No finally, no ProcessExit runs.
            driver.Kill(entireProcessTree: false);
            await driver.WaitForExitAsync();
            driver.Dispose();
        }

        Assert.NotNull(ready);
        Assert.StartsWith("READY ", ready, StringComparison.Ordinal);
        var (journalPath, runId) = (ready.Split(' ')[1], ready.Split(' ')[2]);
        var journal = ChaosJournal.Read(journalPath);
        Assert.Equal("latency-1-1", Assert.Single(journal.Faults).Id);
        var containers = await EngineState.ContainersAsync(runId);
        Assert.Equal(3, containers.Count(c => c.EndsWith(" running", StringComparison.Ordinal))); // checkout, payments, the agent
        Assert.Single(await EngineState.NetworksAsync(runId));

        await using var next = new DockerTarget(TestImage.System(image), new DockerTargetOptions { JournalDirectory = _directory });
        var report = await next.SweepAsync();

        Assert.Equal(1, report.SessionsSwept);
        Assert.Equal(3, report.ProcessesKilled);
        Assert.Empty(await EngineState.ContainersAsync(runId));
        Assert.Empty(await EngineState.NetworksAsync(runId));
        Assert.False(File.Exists(journalPath));
    }
}
