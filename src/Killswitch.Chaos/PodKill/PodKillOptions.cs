namespace Killswitch.Chaos;

/// <summary>
/// Kills replicas of a service (Litmus pod-delete, Chaos Mesh pod-kill). The target replaces them as a ReplicaSet does;
/// the proof is that the killed process is gone and a replacement became ready, and the replacement time is recorded.
/// </summary>
public sealed class PodKillOptions : FaultOptions
{
    /// <summary>Creates the options with their defaults.</summary>
    public PodKillOptions()
        : base(PodKillConstants.Kind, PodKillConstants.DefaultMode)
    {
    }

    /// <summary>SIGKILL at once (<see langword="true"/>, Litmus FORCE=true) or SIGTERM then SIGKILL after <see cref="GracePeriod"/> (default).</summary>
    public bool Force { get; set; }

    /// <summary>How long a graceful kill waits before SIGKILL. Default <see cref="PodKillConstants.DefaultGracePeriod"/>.</summary>
    public TimeSpan GracePeriod { get; set; } = PodKillConstants.DefaultGracePeriod;

    /// <summary>Kill again every interval while the fault lasts (Litmus CHAOS_INTERVAL); <see langword="null"/> (default) = kill once.</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>Kill the chosen replicas all at once (default) or one after another, each after the previous one's replacement is ready (Litmus SEQUENCE).</summary>
    public PodKillSequence Sequence { get; set; } = PodKillSequence.Parallel;

    /// <summary>How long to wait for a replacement to become ready before the run is inconclusive. Default <see cref="PodKillConstants.DefaultReplacementTimeout"/>.</summary>
    public TimeSpan ReplacementTimeout { get; set; } = PodKillConstants.DefaultReplacementTimeout;

    /// <summary>Called after each replica is killed.</summary>
    public Func<PodKilledArguments, ValueTask>? OnPodKilled { get; set; }

    private protected override void ValidateCore(List<string> errors, string prefix)
    {
        if (GracePeriod < TimeSpan.Zero)
        {
            errors.Add($"{prefix}: GracePeriod must not be negative (was {Format(GracePeriod)}).");
        }

        if (Interval is { } interval && interval <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}: Interval must be greater than zero when set (was {Format(interval)}).");
        }

        if (ReplacementTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}: ReplacementTimeout must be greater than zero (was {Format(ReplacementTimeout)}).");
        }

        if (!Enum.IsDefined(Sequence))
        {
            errors.Add($"{prefix}: Sequence '{Sequence}' is not Serial or Parallel.");
        }
    }
}

/// <summary>How a PodKill hits several replicas.</summary>
public enum PodKillSequence
{
    /// <summary>All at once.</summary>
    Parallel,

    /// <summary>One after another, waiting for each replacement.</summary>
    Serial,
}

/// <summary>Passed to <see cref="PodKillOptions.OnPodKilled"/>.</summary>
/// <param name="Instance">The replica that was killed.</param>
/// <param name="Forced">Whether it was SIGKILLed at once.</param>
/// <param name="KilledAt">When the kill was sent.</param>
public readonly record struct PodKilledArguments(Instance Instance, bool Forced, DateTimeOffset KilledAt);
