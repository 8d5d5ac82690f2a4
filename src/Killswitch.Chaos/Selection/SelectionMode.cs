using System.Globalization;

namespace Killswitch.Chaos;

/// <summary>
/// How many of the instances a selector matched a fault acts on: Chaos Mesh's modes. Random choices come from the
/// run's seeded random source, so a run replays exactly with the same seed (<see cref="ChaosRunResult.Seed"/>).
/// </summary>
public sealed class SelectionMode : IEquatable<SelectionMode>
{
    private SelectionMode(SelectionModeKind kind, double value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>One instance, chosen at random.</summary>
    public static SelectionMode One { get; } = new(SelectionModeKind.One, 1);

    /// <summary>Every matched instance.</summary>
    public static SelectionMode All { get; } = new(SelectionModeKind.All, 100);

    /// <summary>What kind of mode this is.</summary>
    public SelectionModeKind Kind { get; }

    /// <summary>The count (<see cref="SelectionModeKind.Fixed"/>) or percentage (the percent modes).</summary>
    public double Value { get; }

    /// <summary><paramref name="count"/> instances chosen at random (all of them when fewer match).</summary>
    public static SelectionMode Fixed(int count) => new(SelectionModeKind.Fixed, count);

    /// <summary>
    /// <paramref name="percent"/> % of the matched instances, rounded down as Chaos Mesh does, but never zero: a fault
    /// that selects nothing proves nothing.
    /// </summary>
    public static SelectionMode FixedPercent(double percent) => new(SelectionModeKind.FixedPercent, percent);

    /// <summary>
    /// A random percentage between 0 and <paramref name="maxPercent"/> (inclusive) of the matched instances, rounded
    /// down, never zero.
    /// </summary>
    public static SelectionMode RandomMaxPercent(double maxPercent) => new(SelectionModeKind.RandomMaxPercent, maxPercent);

    /// <summary>Parses the Chaos Mesh spelling: <c>one</c>, <c>all</c>, <c>fixed:2</c>, <c>fixed-percent:50</c>, <c>random-max-percent:30</c>.</summary>
    public static SelectionMode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 2);
        var name = parts[0].Trim().ToLowerInvariant();
        double? value = parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        return (name, value) switch
        {
            ("one", null) => One,
            ("all", null) => All,
            ("fixed", { } n) when n == Math.Floor(n) => Fixed((int)n),
            ("fixed-percent", { } p) => FixedPercent(p),
            ("random-max-percent", { } p) => RandomMaxPercent(p),
            _ => throw new FormatException($"Selection mode '{text}' is unknown; use one, all, fixed:N, fixed-percent:P or random-max-percent:P."),
        };
    }

    /// <summary>Chooses from <paramref name="candidates"/>; the result keeps the candidates' order.</summary>
    public IReadOnlyList<T> Select<T>(IReadOnlyList<T> candidates, Random random)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(random);
        if (candidates.Count == 0)
        {
            return [];
        }

        var count = Kind switch
        {
            SelectionModeKind.One => 1,
            SelectionModeKind.All => candidates.Count,
            SelectionModeKind.Fixed => (int)Value,
            SelectionModeKind.FixedPercent => Percent(candidates.Count, Value),
            SelectionModeKind.RandomMaxPercent => Percent(candidates.Count, random.Next(0, (int)Math.Floor(Value) + 1)),
            _ => candidates.Count,
        };
        count = Math.Clamp(count, 1, candidates.Count);
        if (count == candidates.Count)
        {
            return [.. candidates];
        }

        // Partial Fisher-Yates over indexes: uniform, and the same seed gives the same choice.
        var indexes = Enumerable.Range(0, candidates.Count).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, indexes.Length);
            (indexes[i], indexes[j]) = (indexes[j], indexes[i]);
        }

        return [.. indexes.Take(count).Order().Select(i => candidates[i])];
    }

    internal void Validate(string option, List<string> errors)
    {
        switch (Kind)
        {
            case SelectionModeKind.Fixed when Value < 1:
                errors.Add($"{option}: fixed count must be at least 1 (was {Value}).");
                break;
            case SelectionModeKind.FixedPercent or SelectionModeKind.RandomMaxPercent when Value is <= 0 or > 100 || double.IsNaN(Value):
                errors.Add($"{option}: percentage must be greater than 0 and at most 100 (was {Value.ToString(CultureInfo.InvariantCulture)}).");
                break;
        }
    }

    private static int Percent(int count, double percent) => (int)Math.Floor(count * percent / 100d);

    /// <inheritdoc />
    public bool Equals(SelectionMode? other) => other is not null && other.Kind == Kind && other.Value.Equals(Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SelectionMode);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Value);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        SelectionModeKind.One => "one",
        SelectionModeKind.All => "all",
        SelectionModeKind.Fixed => $"fixed:{Value.ToString(CultureInfo.InvariantCulture)}",
        SelectionModeKind.FixedPercent => $"fixed-percent:{Value.ToString(CultureInfo.InvariantCulture)}",
        _ => $"random-max-percent:{Value.ToString(CultureInfo.InvariantCulture)}",
    };
}

/// <summary>The kinds of <see cref="SelectionMode"/>.</summary>
public enum SelectionModeKind
{
    /// <summary>One instance at random.</summary>
    One,

    /// <summary>All matched instances.</summary>
    All,

    /// <summary>A fixed number of instances.</summary>
    Fixed,

    /// <summary>A fixed percentage of instances.</summary>
    FixedPercent,

    /// <summary>A random percentage up to a maximum.</summary>
    RandomMaxPercent,
}
