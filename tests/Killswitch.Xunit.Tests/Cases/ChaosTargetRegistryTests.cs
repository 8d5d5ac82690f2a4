using Killswitch.Chaos;
using Killswitch.Chaos.Reporting;

[assembly: ChaosTargetFactory(typeof(Killswitch.Xunit.Tests.Cases.UnavailableFactory))]

namespace Killswitch.Xunit.Tests.Cases;

public class ChaosTargetRegistryTests
{
    [Fact]
    public void New_HoldsTheLocalTarget()
    {
        var sut = new ChaosTargetRegistry();

        Assert.Equal(["local"], sut.Names);
        Assert.Equal("local", sut.Get("local").Name);
    }

    [Theory]
    [InlineData(null, "local")]
    [InlineData("", "local")]
    [InlineData(" docker ", "docker")]
    public void SelectedName_FromKillswitchTarget(string? value, string expected) =>
        Assert.Equal(expected, ChaosTargetRegistry.SelectedName(name => name == "KILLSWITCH_TARGET" ? value : null));

    [Fact]
    public void Get_DockerNotReferenced_SaysWhichPackageToReference()
    {
        var ex = Assert.Throws<ChaosTargetUnknownException>(() => new ChaosTargetRegistry().Get("docker"));

        Assert.Equal(
            "KILLSWITCH_TARGET=docker names no known target; known targets: local. Reference the Killswitch.Chaos.Docker package from the test project (its factory registers itself), or unset KILLSWITCH_TARGET to run on the local target.",
            ex.Message);
        Assert.Equal("docker", ex.Target);
    }

    [Fact]
    public void Add_AFactory_SelectableByNameIgnoringCase()
    {
        var factory = new UnavailableFactory();

        var sut = new ChaosTargetRegistry().Add(factory);

        Assert.Same(factory, sut.Get("Nowhere"));
    }

    [Fact]
    public void AddFromAssemblies_AttributeInALoadedAssembly_Registered()
    {
        var sut = new ChaosTargetRegistry();

        var problems = sut.AddFromAssemblies(AppContext.BaseDirectory);

        Assert.Empty(problems);
        Assert.Contains("nowhere", sut.Names);
    }

    [Fact]
    public async Task Host_TargetUnavailable_CaseSkippedWithTheReason()
    {
        await using var sut = new ChaosHost(new NeverStartedSystem(), null, new UnavailableFactory(), new ChaosHostOptions());
        var chaosCase = new ChaosCase("C", "M", null, ChaosScenarioSpec.Baseline);

        var result = await sut.RunAsync(chaosCase, _ => throw new InvalidOperationException("the body must not run"));

        Assert.Equal(CaseOutcome.Skipped, result.Outcome);
        Assert.Equal("Target 'nowhere' cannot run here: no engine on this machine; install one.", result.Message);
    }

    private sealed class NeverStartedSystem : ChaosSystem
    {
        public override SystemUnderTest CreateSystem() => throw new InvalidOperationException("must not start");
    }
}

/// <summary>A target that is never available; registered on this assembly to prove attribute discovery.</summary>
public sealed class UnavailableFactory : IChaosTargetFactory
{
    public string Name => "nowhere";

    public ValueTask<TargetAvailability> CheckAvailabilityAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TargetAvailability.Unavailable("no engine on this machine; install one."));

    public IChaosTarget Create(ChaosTargetRequest request) => throw new InvalidOperationException("unavailable");
}
