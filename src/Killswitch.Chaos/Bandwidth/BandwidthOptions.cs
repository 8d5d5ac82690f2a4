namespace Killswitch.Chaos;

/// <summary>
/// Limits each connection into the selected instances to <see cref="BytesPerSecond"/> (Toxiproxy bandwidth; a token
/// bucket per connection and direction). The proof is that bytes were throttled.
/// </summary>
public sealed class BandwidthOptions : NetworkFaultOptions
{
    /// <summary>Creates the options with their defaults.</summary>
    public BandwidthOptions()
        : base(BandwidthConstants.Kind, BandwidthConstants.DefaultMode)
    {
    }

    /// <summary>The rate limit in bytes per second. Required (greater than zero).</summary>
    public long BytesPerSecond { get; set; }

    /// <summary>Which bytes are limited. Default <see cref="BandwidthConstants.DefaultDirection"/>.</summary>
    public TrafficDirection Direction { get; set; } = BandwidthConstants.DefaultDirection;

    private protected override void ValidateCore(List<string> errors, string prefix)
    {
        if (BytesPerSecond <= 0)
        {
            errors.Add($"{prefix}: BytesPerSecond must be greater than zero (was {BytesPerSecond}).");
        }

        if (!Enum.IsDefined(Direction))
        {
            errors.Add($"{prefix}: Direction '{Direction}' is not Downstream, Upstream or Both.");
        }
    }
}
