using System.Globalization;
using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// One fault as data, independent of any test framework: its kind (<c>PodKill</c>, <c>Latency</c>, <c>ResetPeer</c>,
/// <c>Blackhole</c>, <c>Bandwidth</c>), selector, optional name and settings (option name → invariant text, sorted).
/// A test case carries it serialized; <see cref="ToOptions"/> builds the chaos engine's options from it.
/// </summary>
public sealed class FaultSpec : IEquatable<FaultSpec>
{
    internal const string ModeSetting = "Mode";
    internal const string StartAfterSetting = "StartAfterMs";
    internal const string DurationSetting = "DurationMs";
    internal const string FromSetting = "From";
    internal const string ForceSetting = "Force";
    internal const string GracePeriodSetting = "GracePeriodMs";
    internal const string IntervalSetting = "IntervalMs";
    internal const string SequenceSetting = "Sequence";
    internal const string ReplacementTimeoutSetting = "ReplacementTimeoutMs";
    internal const string LatencySetting = "LatencyMs";
    internal const string JitterSetting = "JitterMs";
    internal const string DirectionSetting = "Direction";
    internal const string ResetAfterSetting = "ResetAfterMs";
    internal const string CloseAfterSetting = "CloseAfterMs";
    internal const string BytesPerSecondSetting = "BytesPerSecond";

    /// <summary>Creates the spec.</summary>
    public FaultSpec(string kind, string selector, string? name, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(settings);
        Kind = kind;
        Selector = selector;
        Name = name;
        Settings = new SortedDictionary<string, string>(settings.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>The fault's kind: <c>PodKill</c>, <c>Latency</c>, <c>ResetPeer</c>, <c>Blackhole</c> or <c>Bandwidth</c>.</summary>
    public string Kind { get; }

    /// <summary>The label selector.</summary>
    public string Selector { get; }

    /// <summary>The name given, or null.</summary>
    public string? Name { get; }

    /// <summary>The settings, by option name, sorted.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>How case names and reports show the fault: the name given, or <c>Kind selector</c> (<c>PodKill app=payments</c>).</summary>
    public string DisplayName => Name ?? (Selector.Length == 0 ? Kind : Kind + " " + Selector);

    /// <summary>
    /// Builds the chaos engine's options. They are validated later, with the scenario
    /// (<see cref="ChaosScenarioBuilder.Build"/>); a setting that is not a number where one is expected throws here.
    /// </summary>
    /// <exception cref="ChaosValidationException">The kind is unknown, or a setting does not parse.</exception>
    public FaultOptions ToOptions()
    {
        var errors = new List<string>();
        FaultOptions options = Kind switch
        {
            "PodKill" => new PodKillOptions
            {
                Force = Bool(ForceSetting, errors) ?? false,
                GracePeriod = Millis(GracePeriodSetting, errors) ?? PodKillConstants.DefaultGracePeriod,
                Interval = Millis(IntervalSetting, errors),
                Sequence = Enum(SequenceSetting, PodKillSequence.Parallel, errors),
                ReplacementTimeout = Millis(ReplacementTimeoutSetting, errors) ?? PodKillConstants.DefaultReplacementTimeout,
            },
            "Latency" => new LatencyOptions
            {
                Latency = Millis(LatencySetting, errors) ?? TimeSpan.Zero,
                Jitter = Millis(JitterSetting, errors) ?? TimeSpan.Zero,
                Direction = Enum(DirectionSetting, LatencyConstants.DefaultDirection, errors),
            },
            "ResetPeer" => new ResetPeerOptions { ResetAfter = Millis(ResetAfterSetting, errors) ?? TimeSpan.Zero },
            "Blackhole" => new BlackholeOptions { CloseAfter = Millis(CloseAfterSetting, errors) },
            "Bandwidth" => new BandwidthOptions
            {
                BytesPerSecond = Long(BytesPerSecondSetting, errors) ?? 0,
                Direction = Enum(DirectionSetting, BandwidthConstants.DefaultDirection, errors),
            },
            _ => throw new ChaosValidationException($"Fault '{DisplayName}'", [$"Kind '{Kind}' is not PodKill, Latency, ResetPeer, Blackhole or Bandwidth."]),
        };

        options.Name = DisplayName;
        options.Selector = Selector;
        if (options is NetworkFaultOptions network && Settings.TryGetValue(FromSetting, out var from))
        {
            network.From = from;
        }

        if (Settings.TryGetValue(ModeSetting, out var mode))
        {
            try
            {
                options.Mode = SelectionMode.Parse(mode);
            }
            catch (FormatException e)
            {
                errors.Add($"Mode: {e.Message} Use ChaosMode.One, All, Fixed, FixedPercent or RandomMaxPercent with ModeValue.");
            }
        }

        if (Millis(StartAfterSetting, errors) is { } startAfter)
        {
            options.StartAfter = startAfter;
        }

        options.Duration = Millis(DurationSetting, errors);
        if (errors.Count > 0)
        {
            throw new ChaosValidationException($"Fault '{DisplayName}'", errors);
        }

        return options;
    }

    /// <inheritdoc />
    public bool Equals(FaultSpec? other) =>
        other is not null && Kind == other.Kind && Selector == other.Selector && Name == other.Name &&
        Settings.Count == other.Settings.Count && Settings.All(s => other.Settings.TryGetValue(s.Key, out var v) && v == s.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FaultSpec);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Selector, Name, Settings.Count);

    /// <summary>Returns <see cref="DisplayName"/>.</summary>
    public override string ToString() => DisplayName;

    private TimeSpan? Millis(string key, List<string> errors) => Long(key, errors) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private long? Long(string key, List<string> errors)
    {
        if (!Settings.TryGetValue(key, out var text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{key} must be a whole number (was '{text}').");
        return null;
    }

    private bool? Bool(string key, List<string> errors)
    {
        if (!Settings.TryGetValue(key, out var text))
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{key} must be true or false (was '{text}').");
        return null;
    }

    private TEnum Enum<TEnum>(string key, TEnum fallback, List<string> errors)
        where TEnum : struct, Enum
    {
        if (!Settings.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (System.Enum.TryParse<TEnum>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value))
        {
            return value;
        }

        errors.Add($"{key} '{text}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
        return fallback;
    }
}
