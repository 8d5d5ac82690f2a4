using System.Collections.Concurrent;
using System.Text.Json;

namespace OpenFeature;

/// <summary>
/// Serves each flag's <c>defaultVariant</c> from a flagd manifest (what production serves without targeting), with
/// per-flag overrides; the tests' stand-in for OpenFeature's in-memory provider. Unknown flags return the code's default.
/// </summary>
public sealed class InMemoryFeatureClient : IFeatureClient
{
    private readonly ConcurrentDictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    /// <summary>Reads a flagd manifest (<c>{"flags": {"key": {"variants": {...}, "defaultVariant": "..."}}}</c>).</summary>
    public static InMemoryFeatureClient FromFlagd(string json)
    {
        var client = new InMemoryFeatureClient();
        using var document = JsonDocument.Parse(json);
        foreach (var flag in document.RootElement.GetProperty("flags").EnumerateObject())
        {
            var state = flag.Value.TryGetProperty("state", out var s) ? s.GetString() : "ENABLED";
            if (state == "ENABLED"
                && flag.Value.TryGetProperty("defaultVariant", out var variant) && variant.ValueKind == JsonValueKind.String
                && flag.Value.GetProperty("variants").TryGetProperty(variant.GetString()!, out var value))
            {
                client._values[flag.Name] = value.Clone();
            }
        }

        return client;
    }

    /// <summary>Serves <paramref name="value"/> for <paramref name="flagKey"/> from now on.</summary>
    public InMemoryFeatureClient Set<T>(string flagKey, T value)
    {
        _values[flagKey] = JsonSerializer.SerializeToElement(value);
        return this;
    }

    public Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Get(flagKey, defaultValue));

    public Task<string> GetStringValueAsync(string flagKey, string defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Get(flagKey, defaultValue));

    public Task<int> GetIntegerValueAsync(string flagKey, int defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Get(flagKey, defaultValue));

    public Task<double> GetDoubleValueAsync(string flagKey, double defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Get(flagKey, defaultValue));

    private T Get<T>(string flagKey, T defaultValue) =>
        _values.TryGetValue(flagKey, out var value) ? value.Deserialize<T>() ?? defaultValue : defaultValue;
}
