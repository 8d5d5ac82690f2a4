using Killswitch.Chaos.Local;
using Killswitch.Chaos.Tests.Infrastructure;

namespace Killswitch.Chaos.Tests.Local;

/// <summary>How the local target starts a replica that cannot start: a lost port is retried, anything else reported once.</summary>
[Trait("Category", "Integration")]
[Collection(LocalProcessesGroup.Name)]
public sealed class ReplicaStartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "killswitch-tests", Guid.NewGuid().ToString("N"));

    public ReplicaStartTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Start_PortTakenBeforeReplicaBindsIt_StartsAgainOnAnotherPort()
    {
        var marker = Path.Combine(_directory, "port-taken");
        var system = new SystemUnderTest(
        [
            new ServiceDefinition("payments")
                .WithLabel("app", "payments")
                .AddRuntime(LocalProcessRuntime.DotNet(TestApp.Path, "--service", "payments", "--port-taken-once", marker)),
        ]);
        await using var target = new LocalTarget(system, new LocalTargetOptions { JournalDirectory = _directory });

        await target.StartAsync();

        Assert.True(File.Exists(marker), "the first start should have held its own port");
        var replica = Assert.Single(target.GetReplicaSet("payments").Replicas);
        Assert.Equal("payments-2", replica.Id);
        Assert.Equal(InstanceState.Ready, replica.State);
        using var http = TestApp.Client();
        Assert.Equal("paid", await http.GetStringAsync(new Uri(replica.Endpoint, "/pay")));
    }

    [Fact]
    public async Task Start_ServiceExitsBeforeReady_FailsOnceWithItsOutputAndStartsNoReplacement()
    {
        var system = new SystemUnderTest(
        [
            new ServiceDefinition("payments")
                .WithLabel("app", "payments")
                .AddRuntime(LocalProcessRuntime.DotNet(TestApp.Path, "--service", "refunds")),
        ]);
        await using var target = new LocalTarget(system, new LocalTargetOptions { JournalDirectory = _directory });

        var ex = await Assert.ThrowsAsync<ChaosTargetException>(async () => await target.StartAsync());

        Assert.Contains("Replica payments-1 of service 'payments'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 2 before it became ready", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Usage: --service checkout|payments", ex.Message, StringComparison.Ordinal);

        // A service that cannot start is not restarted in a loop (a replacement would be launched the moment it exits):
        // the one failed replica is all there is.
        var replica = Assert.Single(target.GetReplicaSet("payments").Replicas);
        Assert.Equal(InstanceState.Terminated, replica.State);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
