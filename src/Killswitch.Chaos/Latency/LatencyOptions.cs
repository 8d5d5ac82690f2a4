namespace Killswitch.Chaos;

/// <summary>
/// Delays traffic into the selected instances (Toxiproxy latency, Litmus pod-network-latency). Each chunk of bytes in
/// <see cref="Direction"/> is held for <see cref="Latency"/> ± <see cref="Jitter"/> (seeded). The proof is that traffic
/// crossed the affected path while the fault was in force and was held at least <c>Latency - Jitter</c>.
/// </summary>
public sealed class LatencyOptions : NetworkFaultOptions
{
    /// <summary>Creates the options with their defaults.</summary>
    public LatencyOptions()
        : base(LatencyConstants.Kind, LatencyConstants.DefaultMode)
    {
    }

    /// <summary>The added delay. Required (greater than zero).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Uniform random variation in [-Jitter, +Jitter], from the run's seed. Default zero; at most <see cref="Latency"/>.</summary>
    public TimeSpan Jitter { get; set; }

    /// <summary>Which bytes are delayed. Default <see cref="LatencyConstants.DefaultDirection"/>.</summary>
    public TrafficDirection Direction { get; set; } = LatencyConstants.DefaultDirection;

    private protected override void ValidateCore(List<string> errors, string prefix)
    {
        if (Latency <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}: Latency must be greater than zero (was {Format(Latency)}).");
        }

        if (Jitter < TimeSpan.Zero)
        {
            errors.Add($"{prefix}: Jitter must not be negative (was {Format(Jitter)}).");
        }
        else if (Jitter > Latency && Latency > TimeSpan.Zero)
        {
            errors.Add($"{prefix}: Jitter ({Format(Jitter)}) must not exceed Latency ({Format(Latency)}).");
        }

        if (!Enum.IsDefined(Direction))
        {
            errors.Add($"{prefix}: Direction '{Direction}' is not Downstream, Upstream or Both.");
        }
    }
}
