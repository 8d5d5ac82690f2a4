namespace Killswitch.Chaos;

/// <summary>Defaults and names for <see cref="BandwidthOptions"/>.</summary>
public static class BandwidthConstants
{
    /// <summary>The fault's kind.</summary>
    public const string Kind = "bandwidth";

    /// <summary>Default <see cref="FaultOptions.Mode"/>.</summary>
    public static SelectionMode DefaultMode => SelectionMode.All;

    /// <summary>Default <see cref="BandwidthOptions.Direction"/> (Toxiproxy's default stream).</summary>
    public const TrafficDirection DefaultDirection = TrafficDirection.Downstream;
}
