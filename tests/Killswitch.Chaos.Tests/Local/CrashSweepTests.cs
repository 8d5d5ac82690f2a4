using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Killswitch.Chaos.Local;
using Killswitch.Chaos.Tests.Infrastructure;

namespace Killswitch.Chaos.Tests.Local;

[Trait("Category", "Integration")]
[Collection(LocalProcessesGroup.Name)]
public sealed class CrashSweepTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "killswitch-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Sweep_DriverSigkilledMidFault_LeavesNoProcessNoPortNoDelay()
    {
        var driver = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { TestApp.Path, "--driver", _directory }, RedirectStandardOutput = true, UseShellExecute = false })!;
        string? ready;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            ready = await driver.StandardOutput.ReadLineAsync(cts.Token);
        }
        finally
        {
            // SIGKILL the driver alone (not its tree): exactly what a CI runner killing a test host does.
            driver.Kill(entireProcessTree: false);
            await driver.WaitForExitAsync();
            driver.Dispose();
        }

        Assert.NotNull(ready);
        Assert.StartsWith("READY ", ready, StringComparison.Ordinal);
        var journalPath = ready.Split(' ')[1];
        var journal = ChaosJournal.Read(journalPath);
        var processes = journal.Resources.Where(r => r.Kind == JournalConstants.ProcessResource).Select(r => r.Process!).ToArray();
        var ports = journal.Resources.Where(r => r.Kind == JournalConstants.PortResource).Select(r => r.Port!.Value).ToArray();
        Assert.Equal("latency-1-1", Assert.Single(journal.Faults).Id);
        Assert.Equal(2, processes.Length);
        Assert.Equal(3, ports.Length);
        Assert.All(processes, p => Assert.True(p.IsAlive(), $"replica pid {p.Pid} should have outlived its SIGKILLed driver (else the sweep proves nothing)"));

        await using var next = new LocalTarget(TestApp.System(), new LocalTargetOptions { JournalDirectory = _directory });
        var report = await next.SweepAsync();

        Assert.Equal((1, 2), (report.SessionsSwept, report.ProcessesKilled));
        Assert.All(processes, p => Assert.False(p.IsAlive(), $"replica pid {p.Pid} is still running"));
        Assert.All(ports, port => Bind(port));
        Assert.False(File.Exists(journalPath));
    }

    private static void Bind(int port)
    {
        // Binding succeeds only if no proxy (or anything else) still listens there: no proxy left delaying traffic.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen();
    }
}
