namespace Killswitch.Chaos;

/// <summary>Defaults and names for <see cref="PodKillOptions"/>.</summary>
public static class PodKillConstants
{
    /// <summary>The fault's kind.</summary>
    public const string Kind = "pod-kill";

    /// <summary>Default <see cref="PodKillOptions.GracePeriod"/>: Kubernetes' terminationGracePeriodSeconds is 30 s; tests want shorter.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="PodKillOptions.ReplacementTimeout"/>.</summary>
    public static readonly TimeSpan DefaultReplacementTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Default <see cref="FaultOptions.Mode"/>: one replica, as Litmus pod-delete does with PODS_AFFECTED_PERC unset.</summary>
    public static SelectionMode DefaultMode => SelectionMode.One;
}
