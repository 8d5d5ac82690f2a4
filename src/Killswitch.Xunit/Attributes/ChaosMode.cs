namespace Killswitch.Xunit;

/// <summary>
/// How many of the instances a fault's selector matches are hit (Chaos Mesh's modes), as an attribute argument. The
/// count or percentage of <see cref="Fixed"/>, <see cref="FixedPercent"/> and <see cref="RandomMaxPercent"/> is the
/// attribute's <c>ModeValue</c>.
/// </summary>
public enum ChaosMode
{
    /// <summary>The fault's own default: One for PodKill, All for network faults.</summary>
    Default,

    /// <summary>One instance, chosen with the run's seed.</summary>
    One,

    /// <summary>Every matched instance.</summary>
    All,

    /// <summary><c>ModeValue</c> instances.</summary>
    Fixed,

    /// <summary><c>ModeValue</c> % of the matched instances (never zero).</summary>
    FixedPercent,

    /// <summary>A random percentage up to <c>ModeValue</c> % (never zero).</summary>
    RandomMaxPercent,
}
