using Xunit.Sdk;

namespace Killswitch.Xunit;

/// <summary>
/// Names the system the assembly's chaos tests run against: a <see cref="ChaosSystem"/> subclass with a public
/// parameterless constructor. It also installs Killswitch's xunit test framework (the standard one, plus the system's
/// assembly-wide lifetime and the report at the end of the run), so an assembly cannot also have a
/// <c>[assembly: TestFramework]</c> of its own.
/// </summary>
/// <example><code>[assembly: KillswitchSystem(typeof(ShopSystem))]</code></example>
[TestFrameworkDiscoverer("Killswitch.Xunit.Sdk.KillswitchTestFrameworkTypeDiscoverer", "Killswitch.Xunit")]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class KillswitchSystemAttribute : Attribute, ITestFrameworkAttribute
{
    /// <summary>Runs the chaos tests of this assembly against <paramref name="systemType"/>.</summary>
    public KillswitchSystemAttribute(Type systemType)
    {
        SystemType = systemType;
    }

    /// <summary>The <see cref="ChaosSystem"/> subclass.</summary>
    public Type SystemType { get; }

    /// <summary>
    /// Where the resilience report is written. Default <c>TestResults/killswitch</c>. A relative path is taken from the
    /// repository root (the nearest folder above the test assembly holding <c>.git</c>), else from the current directory.
    /// The environment variable <c>KILLSWITCH_REPORT_DIR</c> overrides it.
    /// </summary>
    public string? ReportDirectory { get; set; }

    /// <summary>The report's title. Default "Killswitch resilience report".</summary>
    public string? ReportTitle { get; set; }
}
