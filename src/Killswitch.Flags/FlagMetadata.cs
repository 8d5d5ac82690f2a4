using System;
using System.Collections.Generic;

namespace Killswitch.Flags;

/// <summary>
/// A flag's metadata: every entry as written (strings, numbers, booleans), with the lifecycle entries the Killswitch
/// rules use read out: <c>expiry</c> (a date) and <c>permanent</c> (true for kill switches and operational flags).
/// In flagd files, entries of the flag set's top-level <c>metadata</c> apply to every flag unless the flag overrides them.
/// </summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed class FlagMetadata
{
    /// <summary>The metadata key of the expiry date: <c>"expiry": "2026-03-31"</c>.</summary>
    public const string ExpiryKey = "expiry";

    /// <summary>The metadata key that marks a flag as meant to stay: <c>"permanent": true</c>.</summary>
    public const string PermanentKey = "permanent";

    /// <summary>The metadata key read as a flagd flag's description.</summary>
    public const string DescriptionKey = "description";

    private static readonly IReadOnlyDictionary<string, FlagValue> NoValues = new Dictionary<string, FlagValue>(StringComparer.Ordinal);

    internal FlagMetadata(IReadOnlyDictionary<string, FlagValue> values, DateTime? expiry, bool permanent)
    {
        Values = values;
        Expiry = expiry;
        Permanent = permanent;
    }

    /// <summary>No metadata.</summary>
    public static FlagMetadata Empty { get; } = new(NoValues, expiry: null, permanent: false);

    /// <summary>Every entry, <c>expiry</c> and <c>permanent</c> included, by key (ordinal).</summary>
    public IReadOnlyDictionary<string, FlagValue> Values { get; }

    /// <summary>The date from <c>metadata.expiry</c> (<see cref="DateTimeKind.Unspecified"/>, midnight), or null when there is none.</summary>
    public DateTime? Expiry { get; }

    /// <summary><c>metadata.permanent</c>: true for a kill switch or an operational flag that is meant to stay in the code.</summary>
    public bool Permanent { get; }
}
