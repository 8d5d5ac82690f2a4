using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// A scenario that limits each connection into the instances matched by the selector to <see cref="BytesPerSecond"/>
/// (Toxiproxy bandwidth). Maps to <see cref="BandwidthOptions"/> (docs/chaos/bandwidth.md).
/// </summary>
/// <example><code>[Bandwidth("app=payments", BytesPerSecond = 2048)]</code></example>
public sealed class BandwidthAttribute : NetworkFaultAttribute
{
    /// <summary>Throttles traffic into instances matched by <paramref name="selector"/>.</summary>
    public BandwidthAttribute(string selector)
        : base(selector)
    {
    }

    /// <inheritdoc />
    public override string Kind => "Bandwidth";

    /// <summary>The rate limit in bytes per second. Required (greater than zero).</summary>
    public long BytesPerSecond { get; set; }

    /// <summary>Which bytes are limited. Default <see cref="BandwidthConstants.DefaultDirection"/>.</summary>
    public TrafficDirection Direction { get; set; } = BandwidthConstants.DefaultDirection;

    private protected override void AddSettings(IDictionary<string, string> settings)
    {
        AddFrom(settings);
        settings[FaultSpec.BytesPerSecondSetting] = Format(BytesPerSecond);
        if (Direction != BandwidthConstants.DefaultDirection)
        {
            settings[FaultSpec.DirectionSetting] = Direction.ToString();
        }
    }
}
