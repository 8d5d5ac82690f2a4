using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// A scenario that delays traffic into the instances matched by the selector by <see cref="Milliseconds"/> ±
/// <see cref="Jitter"/> (Toxiproxy latency). Maps to <see cref="LatencyOptions"/> (docs/chaos/latency.md); default mode All.
/// </summary>
/// <example><code>[Latency("app=payments", Milliseconds = 300, Jitter = 50)]</code></example>
public sealed class LatencyAttribute : NetworkFaultAttribute
{
    /// <summary>Delays traffic into instances matched by <paramref name="selector"/>.</summary>
    public LatencyAttribute(string selector)
        : base(selector)
    {
    }

    /// <inheritdoc />
    public override string Kind => "Latency";

    /// <summary>The added delay in milliseconds. Required (greater than zero).</summary>
    public int Milliseconds { get; set; }

    /// <summary>Random variation in milliseconds, ± (seeded). Default 0; at most <see cref="Milliseconds"/>.</summary>
    public int Jitter { get; set; }

    /// <summary>Which bytes are delayed. Default <see cref="LatencyConstants.DefaultDirection"/>.</summary>
    public TrafficDirection Direction { get; set; } = LatencyConstants.DefaultDirection;

    private protected override void AddSettings(IDictionary<string, string> settings)
    {
        AddFrom(settings);
        settings[FaultSpec.LatencySetting] = Format(Milliseconds);
        if (Jitter != 0)
        {
            settings[FaultSpec.JitterSetting] = Format(Jitter);
        }

        if (Direction != LatencyConstants.DefaultDirection)
        {
            settings[FaultSpec.DirectionSetting] = Direction.ToString();
        }
    }
}
