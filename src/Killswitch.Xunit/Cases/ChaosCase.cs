using System.Text.Json;
using System.Text.Json.Nodes;
using Killswitch.Flags.Matrix;

namespace Killswitch.Xunit;

/// <summary>
/// One case of a chaos test: a test method under one flag variant assignment and one scenario. Independent of any
/// test framework: an adapter turns it into its framework's test case, using <see cref="Id"/> as the unique, stable
/// identity, <see cref="DisplayName"/> and <see cref="Traits"/>, and carries it serialized (<see cref="ToJson"/>).
/// </summary>
public sealed class ChaosCase : IEquatable<ChaosCase>
{
    /// <summary>The trait naming a flag's variant: <c>Flag=new-checkout:on</c>.</summary>
    public const string FlagTrait = "Flag";

    /// <summary>The trait naming a scenario's fault kinds: <c>Chaos=PodKill</c>, <c>Chaos=baseline</c>.</summary>
    public const string ChaosTrait = "Chaos";

    /// <summary>Creates a case.</summary>
    /// <param name="testClass">The test class's full name.</param>
    /// <param name="testMethod">The test method's name.</param>
    /// <param name="variant">The flag variants; null when the test varies no flag (the manifest's defaults are served).</param>
    /// <param name="scenario">The scenario.</param>
    /// <param name="knownWeakness">When the case is expected to fail (<c>[KnownWeakness]</c>), why; else null.</param>
    public ChaosCase(string testClass, string testMethod, VariantAssignment? variant, ChaosScenarioSpec scenario, string? knownWeakness = null)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        ArgumentNullException.ThrowIfNull(testMethod);
        ArgumentNullException.ThrowIfNull(scenario);
        TestClass = testClass;
        TestMethod = testMethod;
        Variant = variant;
        Scenario = scenario;
        KnownWeakness = knownWeakness;
    }

    /// <summary>Why this case is expected to fail (<c>[KnownWeakness]</c>), or null when it must pass.</summary>
    public string? KnownWeakness { get; }

    /// <summary>The test class's full name.</summary>
    public string TestClass { get; }

    /// <summary>The test method's name.</summary>
    public string TestMethod { get; }

    /// <summary>The flag variants served, or null for the manifest's defaults.</summary>
    public VariantAssignment? Variant { get; }

    /// <summary>The scenario.</summary>
    public ChaosScenarioSpec Scenario { get; }

    /// <summary><c>Class.Method</c>.</summary>
    public string Test => TestClass + "." + TestMethod;

    /// <summary>The variant's name (<c>new-checkout=on</c>), or <c>defaults</c> when no flag is varied.</summary>
    public string VariantName => Variant?.Name ?? "defaults";

    /// <summary>
    /// Unique and stable across runs: <c>Namespace.Class.Method[new-checkout=on|PodKill app=payments]</c>. Two cases of
    /// one method differ in variant or scenario, so in the id.
    /// </summary>
    public string Id => $"{Test}[{VariantName}|{Scenario.Name}]";

    /// <summary>The parenthesised part of the display name: <c>new-checkout: on, chaos: PodKill app=payments</c>.</summary>
    public string Arguments =>
        string.Join(", ", (Variant?.Variants ?? []).Select(v => v.Key + ": " + v.Value).Append("chaos: " + Scenario.Name));

    /// <summary>
    /// The traits: <see cref="FlagTrait"/> = <c>key:variant</c> per flag, <see cref="ChaosTrait"/> = each fault kind or
    /// <c>baseline</c>. Values avoid '=' so that <c>dotnet test --filter "Flag=new-checkout:on"</c> needs no escaping.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Traits =>
        [.. (Variant?.Variants ?? []).Select(v => new KeyValuePair<string, string>(FlagTrait, v.Key + ":" + v.Value)),
         .. Scenario.Kinds.Select(k => new KeyValuePair<string, string>(ChaosTrait, k))];

    /// <summary>The display name: <paramref name="baseName"/> (the framework's name of the method) with <see cref="Arguments"/>.</summary>
    public string DisplayName(string baseName) => $"{baseName}({Arguments})";

    /// <summary>Serializes every field.</summary>
    public string ToJson()
    {
        var faults = new JsonArray();
        foreach (var fault in Scenario.Faults)
        {
            var settings = new JsonObject();
            foreach (var (key, value) in fault.Settings)
            {
                settings[key] = value;
            }

            faults.Add(new JsonObject { ["kind"] = fault.Kind, ["selector"] = fault.Selector, ["name"] = fault.Name, ["settings"] = settings });
        }

        var root = new JsonObject
        {
            ["class"] = TestClass,
            ["method"] = TestMethod,
            ["variant"] = Variant?.Name,
            ["faults"] = faults,
            ["knownWeakness"] = KnownWeakness,
        };
        return root.ToJsonString();
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="FormatException">The text is not a serialized case.</exception>
    public static ChaosCase FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var root = Required(JsonNode.Parse(json), "the case").AsObject();
            var faults = new List<FaultSpec>();
            foreach (var node in Required(root["faults"], "faults").AsArray())
            {
                var fault = Required(node, "a fault").AsObject();
                var settings = Required(fault["settings"], "settings").AsObject().ToDictionary(p => p.Key, p => Required(p.Value, p.Key).GetValue<string>(), StringComparer.Ordinal);
                faults.Add(new FaultSpec(Required(fault["kind"], "kind").GetValue<string>(), Required(fault["selector"], "selector").GetValue<string>(), fault["name"]?.GetValue<string>(), settings));
            }

            var variant = root["variant"]?.GetValue<string>();
            return new ChaosCase(
                Required(root["class"], "class").GetValue<string>(),
                Required(root["method"], "method").GetValue<string>(),
                variant is null ? null : VariantAssignment.Parse(variant),
                new ChaosScenarioSpec(faults),
                root["knownWeakness"]?.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"Not a serialized chaos case: {e.Message}", e);
        }
    }

    private static JsonNode Required(JsonNode? node, string what) => node ?? throw new FormatException($"Not a serialized chaos case: {what} is missing.");

    /// <inheritdoc />
    public bool Equals(ChaosCase? other) =>
        other is not null && string.Equals(Id, other.Id, StringComparison.Ordinal) && Scenario.Equals(other.Scenario) && KnownWeakness == other.KnownWeakness;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ChaosCase);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    /// <summary>Returns <see cref="Id"/>.</summary>
    public override string ToString() => Id;
}
