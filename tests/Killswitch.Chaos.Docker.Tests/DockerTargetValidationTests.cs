using Killswitch.Chaos.Local;

namespace Killswitch.Chaos.Docker.Tests;

public sealed class DockerTargetValidationTests
{
    [Fact]
    public void Constructor_ServiceWithoutDockerRuntime_ThrowsNamingServiceAndFix()
    {
        var system = new SystemUnderTest([new ServiceDefinition("payments").AddRuntime(LocalProcessRuntime.DotNet("Payments.dll"))]);

        var ex = Assert.Throws<ChaosValidationException>(() => new DockerTarget(system));

        Assert.Contains("Service 'payments' has no DockerRuntime; add one with AddRuntime(new DockerRuntime(\"image:tag\")).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptionsAndPort_ListsEveryProblem()
    {
        var system = new SystemUnderTest([new ServiceDefinition("payments").AddRuntime(new DockerRuntime("shop/payments:dev").WithPort(0))]);

        var ex = Assert.Throws<ChaosValidationException>(() => new DockerTarget(system, new DockerTargetOptions { ToolsImage = " ", ReadinessTimeout = TimeSpan.Zero }));

        Assert.Contains("ToolsImage is required (default killswitch/tools:1, built by build/images/tools.sh).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReadinessTimeout must be greater than zero (was 0 ms).", ex.Message, StringComparison.Ordinal);

        var portError = Assert.Throws<ChaosValidationException>(() => new DockerTarget(system));
        Assert.Contains("Service 'payments': DockerRuntime.Port must be 1-65535 (was 0).", portError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        var options = new DockerTargetOptions();
        var runtime = new DockerRuntime("shop/payments:dev");

        Assert.Equal("killswitch/tools:1", options.ToolsImage);
        Assert.Equal(NetworkFaultMechanism.Auto, options.NetworkFaultMechanism);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ReadinessTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AgentTimeout);
        Assert.Equal(8080, runtime.Port);
        Assert.Empty(runtime.Command);
    }

    [Fact]
    public void Supports_NetworkFaultsAndPodKill()
    {
        var system = new SystemUnderTest([new ServiceDefinition("payments").AddRuntime(new DockerRuntime("shop/payments:dev"))]);
        var sut = new DockerTarget(system);

        Assert.True(sut.Supports(new PodKillOptions(), out _));
        Assert.True(sut.Supports(new LatencyOptions(), out _));
        Assert.True(sut.Supports(new BlackholeOptions(), out _));
        Assert.True(sut.Supports(new BandwidthOptions(), out _));
        Assert.True(sut.Supports(new ResetPeerOptions(), out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("other-host/1/linux:1", false)]
    [InlineData("garbage", false)]
    [InlineData("", false)]
    public void OwnerIsGone_ForeignOrUnparsableOwner_LeftAlone(string owner, bool gone)
    {
        Assert.Equal(gone, DockerSweeper.OwnerIsGone(new Dictionary<string, string> { [DockerTargetConstants.OwnerLabel] = owner }));
    }

    [Fact]
    public void OwnerIsGone_ThisHostDeadOrLiveOwner_TellsThemApart()
    {
        var live = $"{Environment.MachineName}/{ProcessIdentity.Current.Pid}/{ProcessIdentity.Current.StartToken}";
        var reused = $"{Environment.MachineName}/{ProcessIdentity.Current.Pid}/linux:0";

        Assert.False(DockerSweeper.OwnerIsGone(new Dictionary<string, string> { [DockerTargetConstants.OwnerLabel] = live }));
        Assert.True(DockerSweeper.OwnerIsGone(new Dictionary<string, string> { [DockerTargetConstants.OwnerLabel] = reused }));
    }
}
