namespace Killswitch.Analyzers.Tests.Infrastructure;

/// <summary>
/// Source stubs of the flag APIs the analyzers recognise by symbol name (the real packages are not needed:
/// OpenFeature's .NET SDK is not even served here), and of the ASP.NET Core minimal-API surface.
/// </summary>
internal static class Stubs
{
    public const string OpenFeature = """
        namespace OpenFeature
        {
            using System.Threading;
            using System.Threading.Tasks;
            public sealed class EvaluationContext { }
            public sealed class FlagEvaluationOptions { }
            public sealed class FlagEvaluationDetails<T> { public T Value { get; } = default!; public string? Variant { get; } }
            public interface IFeatureClient
            {
                Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);
                Task<string> GetStringValueAsync(string flagKey, string defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);
                Task<int> GetIntegerValueAsync(string flagKey, int defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);
                Task<FlagEvaluationDetails<bool>> GetBooleanDetailsAsync(string flagKey, bool defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? config = null, CancellationToken cancellationToken = default);
            }
            public sealed class Api
            {
                public static Api Instance { get; } = new Api();
                public IFeatureClient GetClient() => null!;
            }
        }
        """;

    public const string FeatureManagement = """
        namespace Microsoft.FeatureManagement
        {
            using System.Threading.Tasks;
            public interface IFeatureManager { Task<bool> IsEnabledAsync(string feature); }
            public sealed class Variant { public string Name { get; set; } = ""; }
            public interface IVariantFeatureManager
            {
                Task<bool> IsEnabledAsync(string feature, System.Threading.CancellationToken cancellationToken = default);
                Task<Variant> GetVariantAsync(string feature, System.Threading.CancellationToken cancellationToken = default);
            }
        }
        namespace Microsoft.FeatureManagement.Mvc
        {
            [System.AttributeUsage(System.AttributeTargets.Class | System.AttributeTargets.Method, AllowMultiple = true)]
            public sealed class FeatureGateAttribute : System.Attribute { public FeatureGateAttribute(params string[] features) { } }
        }
        """;

    public const string LaunchDarkly = """
        namespace LaunchDarkly.Sdk { public sealed class Context { } }
        namespace LaunchDarkly.Sdk.Server.Interfaces
        {
            public interface ILdClient
            {
                bool BoolVariation(string key, LaunchDarkly.Sdk.Context context, bool defaultValue = false);
                string StringVariation(string key, LaunchDarkly.Sdk.Context context, string defaultValue);
            }
        }
        """;

    public const string AspNetCore = """
        namespace Microsoft.AspNetCore.Http
        {
            public interface IResult { }
            public static class Results
            {
                public static IResult Ok(object? value = null) => null!;
                public static IResult NotFound() => null!;
            }
        }
        namespace Microsoft.AspNetCore.Builder
        {
            using System;
            public interface IEndpointConventionBuilder { }
            public sealed class RouteHandlerBuilder : IEndpointConventionBuilder { }
            public sealed class WebApplication
            {
                public RouteHandlerBuilder MapGet(string pattern, Delegate handler) => new();
                public RouteHandlerBuilder MapPost(string pattern, Delegate handler) => new();
                public void Run() { }
            }
            public static class FeatureGateEndpointExtensions
            {
                public static TBuilder WithFeatureGate<TBuilder>(this TBuilder builder, string feature) where TBuilder : IEndpointConventionBuilder => builder;
            }
        }
        namespace Microsoft.AspNetCore.Mvc
        {
            public abstract class ControllerBase { public object Ok() => null!; }
            [System.AttributeUsage(System.AttributeTargets.Class)] public sealed class ApiControllerAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class HttpPostAttribute : System.Attribute { public HttpPostAttribute(string template = "") { } }
        }
        """;

    /// <summary>All stubs, for tests that do not care which API is present.</summary>
    public static readonly string[] All = { OpenFeature, FeatureManagement, LaunchDarkly, AspNetCore };
}
