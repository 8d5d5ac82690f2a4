using System.Diagnostics;
using Killswitch.Chaos.Local;

namespace Killswitch.Chaos.Tests.Journal;

public sealed class ChaosJournalTests : IDisposable
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "killswitch-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Journal_WritesBeforeAndClearsAfter()
    {
        var sut = new ChaosJournal(_directory, "run-1", "local");

        sut.AddFault(new JournalFault("latency-1", "latency", ["payments-1"]));
        var during = ChaosJournal.Read(sut.FilePath);
        sut.RemoveFault("latency-1");
        var after = ChaosJournal.Read(sut.FilePath);
        sut.Delete();

        Assert.Equal("latency-1", Assert.Single(during.Faults).Id);
        Assert.Equal(ProcessIdentity.Current, during.Owner);
        Assert.Empty(after.Faults);
        Assert.False(File.Exists(sut.FilePath));
    }

    [Fact]
    public void FindAbandoned_OnlyDeadOwners()
    {
        var alive = new ChaosJournal(_directory, "alive", "local");
        WriteAbandoned("dead", []);

        var found = ChaosJournal.FindAbandoned(_directory);

        Assert.Equal("dead", Assert.Single(found).Record.RunId);
        Assert.True(File.Exists(alive.FilePath));
    }

    [Fact]
    public void FindAbandoned_UnreadableFile_ReportedAndKept()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "garbage.json");
        File.WriteAllText(path, "{ not json");
        var reported = new List<string>();

        var found = ChaosJournal.FindAbandoned(_directory, (p, _) => reported.Add(p));

        Assert.Empty(found);
        Assert.Equal([path], reported);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void ProcessIdentity_ReusedPid_IsNotAlive()
    {
        var current = ProcessIdentity.Current;

        Assert.True(current.IsAlive());
        Assert.False((current with { StartToken = "linux:1" }).IsAlive());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Sweep_DeadOwner_KillsRecordedProcessSparesReusedPidAndDeletesJournal()
    {
        using var orphan = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        var identity = ProcessIdentity.Of(orphan.Id)!;
        var impostor = ProcessIdentity.Current with { StartToken = "linux:1" };
        var path = WriteAbandoned("crashed",
        [
            new JournalResource("payments-1", JournalConstants.ProcessResource, identity),
            new JournalResource("reused", JournalConstants.ProcessResource, impostor),
            new JournalResource("proxy:payments", JournalConstants.PortResource, Port: 1),
        ]);
        await using var sut = new LocalTarget(new SystemUnderTest([new ServiceDefinition("x").AddRuntime(new LocalProcessRuntime("true"))]), new LocalTargetOptions { JournalDirectory = _directory });

        var report = await sut.SweepAsync();

        Assert.Equal((1, 1), (report.SessionsSwept, report.ProcessesKilled));
        Assert.False(identity.IsAlive());
        Assert.True(orphan.WaitForExit(10_000));
        Assert.True(ProcessIdentity.Current.IsAlive(), "the sweep must not kill a process that merely reuses a recorded PID");
        Assert.False(File.Exists(path));
    }

    private string WriteAbandoned(string runId, JournalResource[] resources)
    {
        Directory.CreateDirectory(_directory);
        var dead = new ProcessIdentity(int.MaxValue - 7, "linux:0");
        var record = new JournalRecord(runId, "local", dead, DateTimeOffset.UnixEpoch, resources, []);
        var path = Path.Combine(_directory, runId + ".json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(record, Json));
        return path;
    }
}
