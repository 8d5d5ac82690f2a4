namespace Killswitch.Xunit;

/// <summary>
/// One scenario of a chaos test: the baseline (no fault), one fault, or several faults in force together.
/// </summary>
public sealed class ChaosScenarioSpec : IEquatable<ChaosScenarioSpec>
{
    /// <summary>The name of the scenario without faults.</summary>
    public const string BaselineName = "baseline";

    /// <summary>The <c>Chaos</c> trait value of the baseline scenario.</summary>
    public const string BaselineTrait = "baseline";

    /// <summary>Creates a scenario of <paramref name="faults"/> (none: the baseline).</summary>
    public ChaosScenarioSpec(IReadOnlyList<FaultSpec> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        Faults = [.. faults];
        Name = Faults.Count == 0 ? BaselineName : string.Join(" + ", Faults.Select(f => f.DisplayName));
    }

    /// <summary>The baseline: the body with no fault.</summary>
    public static ChaosScenarioSpec Baseline { get; } = new([]);

    /// <summary>The faults in force together; empty for the baseline.</summary>
    public IReadOnlyList<FaultSpec> Faults { get; }

    /// <summary><c>baseline</c>, a fault's display name (<c>PodKill app=payments</c>), or several joined by <c> + </c>.</summary>
    public string Name { get; }

    /// <summary>Whether this is the baseline.</summary>
    public bool IsBaseline => Faults.Count == 0;

    /// <summary>The <c>Chaos</c> trait values: <c>baseline</c>, or the distinct fault kinds (<c>PodKill</c>, <c>Latency</c>).</summary>
    public IReadOnlyList<string> Kinds => IsBaseline ? [BaselineTrait] : [.. Faults.Select(f => f.Kind).Distinct(StringComparer.Ordinal)];

    /// <inheritdoc />
    public bool Equals(ChaosScenarioSpec? other) => other is not null && Faults.SequenceEqual(other.Faults);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ChaosScenarioSpec);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Returns <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
