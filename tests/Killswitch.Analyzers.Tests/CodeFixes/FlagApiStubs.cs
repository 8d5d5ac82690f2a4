namespace Killswitch.Analyzers.Tests.CodeFixes;

/// <summary>Source stubs of flag APIs whose packages this feed does not serve, shaped like the real ones.</summary>
internal static class FlagApiStubs
{
    /// <summary>OpenFeature .NET SDK 2.x: IFeatureClient.GetBooleanValueAsync and Api.Instance.GetClient().</summary>
    public const string OpenFeature = """
        using System.Threading;
        using System.Threading.Tasks;

        namespace OpenFeature
        {
            public sealed class EvaluationContext { }

            public sealed class FlagEvaluationOptions { }

            public interface IFeatureClient
            {
                Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);
            }

            public sealed class FeatureClient : IFeatureClient
            {
                public Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default) =>
                    Task.FromResult(defaultValue);
            }

            public sealed class Api
            {
                public static Api Instance { get; } = new Api();

                public FeatureClient GetClient(string? name = null, string? version = null) => new FeatureClient();
            }
        }
        """;
}
