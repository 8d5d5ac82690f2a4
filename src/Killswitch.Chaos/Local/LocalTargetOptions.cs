using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Local;

/// <summary>Options of the <see cref="LocalTarget"/>.</summary>
public sealed class LocalTargetOptions
{
    /// <summary>Where session journals live. Default <see cref="ChaosJournal.DefaultDirectory"/>.</summary>
    public string JournalDirectory { get; set; } = ChaosJournal.DefaultDirectory;

    /// <summary>How long a replica may take to answer its readiness path. Default <see cref="LocalTargetConstants.DefaultReadinessTimeout"/>.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = LocalTargetConstants.DefaultReadinessTimeout;

    /// <summary>How often readiness is polled. Default <see cref="LocalTargetConstants.DefaultReadinessPollInterval"/>.</summary>
    public TimeSpan ReadinessPollInterval { get; set; } = LocalTargetConstants.DefaultReadinessPollInterval;

    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the target logs (replica output goes to Debug level). Default: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(JournalDirectory))
        {
            errors.Add("JournalDirectory is required.");
        }

        if (ReadinessTimeout <= TimeSpan.Zero)
        {
            errors.Add($"ReadinessTimeout must be greater than zero (was {ReadinessTimeout.TotalMilliseconds} ms).");
        }

        if (ReadinessPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"ReadinessPollInterval must be greater than zero (was {ReadinessPollInterval.TotalMilliseconds} ms).");
        }

        if (errors.Count > 0)
        {
            throw new ChaosValidationException("LocalTargetOptions", errors) { Target = LocalTargetConstants.Name };
        }
    }
}

/// <summary>Defaults and names of the local target.</summary>
public static class LocalTargetConstants
{
    /// <summary>The target's name in reports and journals.</summary>
    public const string Name = "local";

    /// <summary>Default readiness timeout.</summary>
    public static readonly TimeSpan DefaultReadinessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Default readiness poll interval.</summary>
    public static readonly TimeSpan DefaultReadinessPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Environment variable every replica gets with the session's run id (so a person can find its processes).</summary>
    public const string RunIdVariable = "KILLSWITCH_RUN_ID";

    /// <summary>Environment variable every replica gets with its instance id.</summary>
    public const string InstanceIdVariable = "KILLSWITCH_INSTANCE_ID";
}
