using System.Reflection;
using Killswitch.Chaos;
using Killswitch.Chaos.Local;
using Killswitch.Xunit;
using Killswitch.Xunit.Fixture;

[assembly: KillswitchSystem(typeof(FixtureSystem))]

namespace Killswitch.Xunit.Fixture;

/// <summary>tests/Killswitch.Chaos.TestApp as two services: checkout calls payments through PAYMENTS_URL.</summary>
public sealed class FixtureSystem : ChaosSystem
{
    public static string AppPath { get; } = typeof(FixtureSystem).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestAppPath").Value!;

    public override IReadOnlyList<string> ManifestPaths => ["flags.json"];

    public override TimeSpan RecoveryTimeout => TimeSpan.FromSeconds(20);

    public override SystemUnderTest CreateSystem() => new(
    [
        new ServiceDefinition("checkout")
            .WithLabel("app", "checkout")
            .AddDependency("payments", "PAYMENTS_URL")
            .AddRuntime(LocalProcessRuntime.DotNet(AppPath, "--service", "checkout")),
        new ServiceDefinition("payments")
            .WithLabel("app", "payments")
            .AddRuntime(LocalProcessRuntime.DotNet(AppPath, "--service", "payments")),
    ]);
}
