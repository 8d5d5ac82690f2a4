// The part of OpenFeature's .NET API (OpenFeature package, namespace OpenFeature) this sample uses, declared in
// source because the SDK is not served on this repository's package feed. The analyzers recognise it by its full
// name, as they recognise the real IFeatureClient; swap this folder for a PackageReference to OpenFeature in an app.
namespace OpenFeature;

public sealed class EvaluationContext
{
}

public sealed class FlagEvaluationOptions
{
}

public interface IFeatureClient
{
    Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);

    Task<string> GetStringValueAsync(string flagKey, string defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);

    Task<int> GetIntegerValueAsync(string flagKey, int defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);

    Task<double> GetDoubleValueAsync(string flagKey, double defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);
}
