using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>The flag APIs the fix can write calls to, in the order it offers them.</summary>
internal enum FlagApiKind
{
    OpenFeature,
    FeatureManagement,
}

/// <summary>
/// A flag API a compilation references, recognised by symbol name (projects bring it by package or by a source
/// stub), and the optional pieces the fix prefers when present: OpenFeature's static <c>Api.Instance</c>,
/// FeatureManagement's <c>WithFeatureGate</c> endpoint extension and <c>[FeatureGate]</c> attribute.
/// </summary>
internal sealed class FlagApi
{
    private FlagApi(FlagApiKind kind, INamedTypeSymbol clientType, INamedTypeSymbol? variantClientType, Compilation compilation)
    {
        Kind = kind;
        ClientType = clientType;
        VariantClientType = variantClientType;
        if (kind == FlagApiKind.OpenFeature)
        {
            var api = compilation.GetTypeByMetadataName("OpenFeature.Api");
            HasStaticApi = api is not null
                && api.GetMembers("Instance").Any(m => m.IsStatic && m is IPropertySymbol or IFieldSymbol)
                && api.GetMembers("GetClient").Any(m => m is IMethodSymbol);
        }
        else
        {
            var extensions = compilation.GetTypeByMetadataName("Microsoft.FeatureManagement.AspNetCore.FeatureGateEndpointFilterExtensions");
            WithFeatureGate = extensions?.GetMembers("WithFeatureGate").OfType<IMethodSymbol>()
                .FirstOrDefault(m => m.IsExtensionMethod && m.Parameters.Length == 2 && m.Parameters[1].IsParams);
            FeatureGateAttribute = compilation.GetTypeByMetadataName("Microsoft.FeatureManagement.Mvc.FeatureGateAttribute");
        }

        EndpointConventionBuilder = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.IEndpointConventionBuilder");
        HttpResults = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.Results");
        HttpResult = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.IResult");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
    }

    public FlagApiKind Kind { get; }

    /// <summary><c>OpenFeature.IFeatureClient</c> or <c>Microsoft.FeatureManagement.IFeatureManager</c>.</summary>
    public INamedTypeSymbol ClientType { get; }

    /// <summary><c>Microsoft.FeatureManagement.IVariantFeatureManager</c> (its IsEnabledAsync takes a token).</summary>
    public INamedTypeSymbol? VariantClientType { get; }

    /// <summary>True when <c>OpenFeature.Api.Instance.GetClient()</c> is there to fall back on.</summary>
    public bool HasStaticApi { get; }

    public IMethodSymbol? WithFeatureGate { get; }

    public INamedTypeSymbol? FeatureGateAttribute { get; }

    public INamedTypeSymbol? EndpointConventionBuilder { get; }

    public INamedTypeSymbol? HttpResults { get; }

    public INamedTypeSymbol? HttpResult { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public string DisplayName => Kind == FlagApiKind.OpenFeature ? "OpenFeature" : "Microsoft.FeatureManagement";

    /// <summary>One equivalence key per API, so Fix All applies the API the user picked everywhere.</summary>
    public string EquivalenceKey => RuleIdentifiers.UnguardedNewCode + "." + Kind;

    /// <summary>The fully qualified name of the client type used when the fix declares a parameter or field.</summary>
    public string ClientTypeName => Kind == FlagApiKind.OpenFeature
        ? "global::OpenFeature.IFeatureClient"
        : "global::Microsoft.FeatureManagement.IFeatureManager";

    public string ClientParameterName => Kind == FlagApiKind.OpenFeature ? "featureClient" : "featureManager";

    /// <summary>The APIs the compilation references, preferred first: OpenFeature, then FeatureManagement.</summary>
    public static ImmutableArray<FlagApi> ResolveAll(Compilation compilation)
    {
        var builder = ImmutableArray.CreateBuilder<FlagApi>(2);
        foreach (var kind in new[] { FlagApiKind.OpenFeature, FlagApiKind.FeatureManagement })
        {
            if (Resolve(compilation, kind) is { } api)
            {
                builder.Add(api);
            }
        }

        return builder.ToImmutable();
    }

    public static FlagApi? Resolve(Compilation compilation, FlagApiKind kind)
    {
        if (kind == FlagApiKind.OpenFeature)
        {
            var client = compilation.GetTypeByMetadataName("OpenFeature.IFeatureClient");
            return client is null ? null : new FlagApi(kind, client, null, compilation);
        }

        var manager = compilation.GetTypeByMetadataName("Microsoft.FeatureManagement.IFeatureManager");
        var variant = compilation.GetTypeByMetadataName("Microsoft.FeatureManagement.IVariantFeatureManager");
        return (manager ?? variant) is { } clientType ? new FlagApi(kind, clientType, variant, compilation) : null;
    }

    /// <summary>True when a value of the type can evaluate flags of this API.</summary>
    public bool IsClient(ITypeSymbol? type) =>
        type is not null && (Is(type, ClientType) || (VariantClientType is not null && Is(type, VariantClientType)));

    /// <summary>True when the client's IsEnabledAsync takes a cancellation token (IVariantFeatureManager).</summary>
    public bool AcceptsCancellationToken(ITypeSymbol clientType) =>
        Kind == FlagApiKind.OpenFeature || (VariantClientType is not null && Is(clientType, VariantClientType));

    public bool IsEndpointBuilder(ITypeSymbol? type) =>
        type is not null && EndpointConventionBuilder is not null && Is(type, EndpointConventionBuilder);

    public bool IsHttpResult(ITypeSymbol? type) =>
        type is not null && HttpResult is not null && Is(type, HttpResult);

    private static bool Is(ITypeSymbol type, INamedTypeSymbol target) =>
        SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target)
        || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, target));
}
