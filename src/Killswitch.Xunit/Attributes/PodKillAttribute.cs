using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// A scenario that kills replicas matched by the selector while the test body runs (Litmus pod-delete); the target
/// replaces them. Maps to <see cref="PodKillOptions"/> (docs/chaos/pod-kill.md); default mode One.
/// </summary>
/// <example><code>[PodKill("app=payments", Mode = ChaosMode.One)]</code></example>
public sealed class PodKillAttribute : FaultAttribute
{
    /// <summary>Kills replicas matched by <paramref name="selector"/>.</summary>
    public PodKillAttribute(string selector)
        : base(selector)
    {
    }

    /// <inheritdoc />
    public override string Kind => "PodKill";

    /// <summary>SIGKILL at once instead of SIGTERM then SIGKILL after the grace period. Default false.</summary>
    public bool Force { get; set; }

    /// <summary>Milliseconds a graceful kill waits before SIGKILL. Default 0: <see cref="PodKillConstants.DefaultGracePeriod"/>.</summary>
    public int GracePeriodMilliseconds { get; set; }

    /// <summary>Kill again every this many milliseconds while the fault lasts. Default 0: kill once.</summary>
    public int IntervalMilliseconds { get; set; }

    /// <summary>Kill the chosen replicas one after another instead of all at once. Default false.</summary>
    public bool Serial { get; set; }

    /// <summary>Milliseconds a replacement may take to become ready. Default 0: <see cref="PodKillConstants.DefaultReplacementTimeout"/>.</summary>
    public int ReplacementTimeoutMilliseconds { get; set; }

    private protected override void AddSettings(IDictionary<string, string> settings)
    {
        if (Force)
        {
            settings[FaultSpec.ForceSetting] = "true";
        }

        if (GracePeriodMilliseconds != 0)
        {
            settings[FaultSpec.GracePeriodSetting] = Format(GracePeriodMilliseconds);
        }

        if (IntervalMilliseconds != 0)
        {
            settings[FaultSpec.IntervalSetting] = Format(IntervalMilliseconds);
        }

        if (Serial)
        {
            settings[FaultSpec.SequenceSetting] = nameof(PodKillSequence.Serial);
        }

        if (ReplacementTimeoutMilliseconds != 0)
        {
            settings[FaultSpec.ReplacementTimeoutSetting] = Format(ReplacementTimeoutMilliseconds);
        }
    }
}
