namespace Killswitch.Chaos;

/// <summary>Defaults and names for <see cref="LatencyOptions"/>.</summary>
public static class LatencyConstants
{
    /// <summary>The fault's kind.</summary>
    public const string Kind = "latency";

    /// <summary>Default <see cref="FaultOptions.Mode"/>: every matched instance, as Toxiproxy acts on a whole proxy.</summary>
    public static SelectionMode DefaultMode => SelectionMode.All;

    /// <summary>Default <see cref="LatencyOptions.Direction"/> (Toxiproxy's default stream).</summary>
    public const TrafficDirection DefaultDirection = TrafficDirection.Downstream;
}
