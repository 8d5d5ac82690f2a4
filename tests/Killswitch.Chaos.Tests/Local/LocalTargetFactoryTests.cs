using Killswitch.Chaos.Local;

namespace Killswitch.Chaos.Tests.Local;

public class LocalTargetFactoryTests
{
    [Fact]
    public async Task Create_AddsTheRequestEnvironment_WithoutReplacingAServiceVariable()
    {
        var runtime = new LocalProcessRuntime("app");
        runtime.Environment["OFREP_URL"] = "http://mine/";
        var other = new LocalProcessRuntime("other");
        var system = new SystemUnderTest([new ServiceDefinition("a").AddRuntime(runtime), new ServiceDefinition("b").AddRuntime(other)]);
        var sut = new LocalTargetFactory();

        await using var target = sut.Create(new ChaosTargetRequest(system, new Dictionary<string, string> { ["OFREP_URL"] = "http://127.0.0.1:1/", ["X"] = "1" }));

        Assert.Equal("local", sut.Name);
        Assert.True((await sut.CheckAvailabilityAsync()).IsAvailable);
        Assert.IsType<LocalTarget>(target);
        Assert.Equal("http://mine/", runtime.Environment["OFREP_URL"]);
        Assert.Equal("1", runtime.Environment["X"]);
        Assert.Equal("http://127.0.0.1:1/", other.Environment["OFREP_URL"]);
    }
}
