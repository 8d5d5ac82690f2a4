using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Killswitch.Analyzers.Configuration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Guards;

/// <summary>What a flag evaluation returns, which decides which edges of a condition it guards.</summary>
internal enum FlagEvaluationKind
{
    /// <summary>Not a flag evaluation.</summary>
    None,

    /// <summary>An on/off value: only the "on" side of a condition is guarded.</summary>
    Boolean,

    /// <summary>A variant (string, number, object): every side of a comparison against it selects a variant.</summary>
    Variant,
}

/// <summary>
/// Recognises feature-flag evaluations and gates by symbol, resolved once per compilation:
/// OpenFeature, Microsoft.FeatureManagement, LaunchDarkly, and the user's own guard methods and attributes.
/// </summary>
internal sealed class FlagApi
{
    // Plain hash sets, read only after construction: an immutable set's first use in a fresh compiler process loads a
    // family of generic types these do not need (docs/performance.md).
    private static readonly HashSet<string> OpenFeatureTypes = new(StringComparer.Ordinal)
    {
        "OpenFeature.IFeatureClient",
        "OpenFeature.FeatureClient",
    };

    private static readonly HashSet<string> FeatureManagementTypes = new(StringComparer.Ordinal)
    {
        "Microsoft.FeatureManagement.IFeatureManager",
        "Microsoft.FeatureManagement.IFeatureManagerSnapshot",
        "Microsoft.FeatureManagement.IVariantFeatureManager",
        "Microsoft.FeatureManagement.IVariantFeatureManagerSnapshot",
        "Microsoft.FeatureManagement.FeatureManager",
        "Microsoft.FeatureManagement.VariantFeatureManager",
        "Microsoft.FeatureManagement.FeatureManagerSnapshot",
    };

    private static readonly HashSet<string> LaunchDarklyTypes = new(StringComparer.Ordinal)
    {
        "LaunchDarkly.Sdk.Server.Interfaces.ILdClient",
        "LaunchDarkly.Sdk.Server.LdClient",
    };

    private static readonly HashSet<string> GateAttributeNames = new(StringComparer.Ordinal)
    {
        "Microsoft.FeatureManagement.Mvc.FeatureGateAttribute",
        "Killswitch.FeatureGateAttribute",
    };

    private readonly KillswitchOptions _options;

    // What each type is to the flag APIs, computed once per type and compilation: the type names are compared as
    // display strings (so a type defined twice, or in source as the test stubs do, still counts), but never per call.
    // Boxed families: a concurrent dictionary with values of this assembly's enum is generic code no precompiled image
    // holds (the runtime compiled it in every build); one with reference values is shared, precompiled code.
    private static readonly object[] BoxedFamilies = { ApiFamily.None, (ApiFamily)1, (ApiFamily)2, (ApiFamily)3, (ApiFamily)4, (ApiFamily)5, (ApiFamily)6, (ApiFamily)7 };
    private static readonly Func<INamedTypeSymbol, object> ComputeBoxedFamily = type => BoxedFamilies[(int)ComputeFamily(type)];
    private readonly ConcurrentDictionary<INamedTypeSymbol, object> _families = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _gateAttributes = new(SymbolEqualityComparer.Default);

    public FlagApi(KillswitchOptions options) => _options = options;

    [Flags]
    private enum ApiFamily
    {
        None = 0,
        OpenFeature = 1,
        FeatureManagement = 2,
        LaunchDarkly = 4,
    }

    public KillswitchOptions Options => _options;

    /// <summary>Classifies a call: is it a flag evaluation, and of which kind.</summary>
    public FlagEvaluationKind Classify(IMethodSymbol method)
    {
        var name = method.Name;
        var original = method.ReducedFrom ?? method.OriginalDefinition;
        var containing = original.ContainingType;
        if (containing is null)
        {
            return FlagEvaluationKind.None;
        }

        if (IsOpenFeatureName(name) && (Family(containing) & ApiFamily.OpenFeature) != 0)
        {
            return name.StartsWith("GetBoolean", StringComparison.Ordinal) ? FlagEvaluationKind.Boolean : FlagEvaluationKind.Variant;
        }

        if (IsFeatureManagementName(name) && (Family(containing) & ApiFamily.FeatureManagement) != 0)
        {
            return name == "IsEnabledAsync" ? FlagEvaluationKind.Boolean : FlagEvaluationKind.Variant;
        }

        if (IsLaunchDarklyName(name) && (Family(containing) & ApiFamily.LaunchDarkly) != 0)
        {
            return name.StartsWith("Bool", StringComparison.Ordinal) ? FlagEvaluationKind.Boolean : FlagEvaluationKind.Variant;
        }

        foreach (var guard in _options.GuardMethods)
        {
            if (SymbolEqualityComparer.Default.Equals(guard, original) || SymbolEqualityComparer.Default.Equals(guard, method))
            {
                return IsBooleanish(method.ReturnType) ? FlagEvaluationKind.Boolean : FlagEvaluationKind.Variant;
            }
        }

        // [FeatureFlagGuard] marks the user's own wrappers, declared in source: reading attributes of every
        // metadata method called in a compilation would be the most expensive line of this analyzer.
        if (original.DeclaringSyntaxReferences.Length > 0)
        {
            foreach (var attribute in original.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "FeatureFlagGuardAttribute")
                {
                    return IsBooleanish(method.ReturnType) ? FlagEvaluationKind.Boolean : FlagEvaluationKind.Variant;
                }
            }
        }

        return FlagEvaluationKind.None;
    }

    /// <summary>
    /// A syntactic screen: could a call with this method name be a flag evaluation with a key? Exactly the names
    /// <see cref="Classify"/> accepts for the flag APIs, and the configured guard methods ([FeatureFlagGuard] wrappers
    /// take no key, and their names are the user's).
    /// </summary>
    public bool MayEvaluateFlag(string methodName) =>
        IsOpenFeatureName(methodName) || IsFeatureManagementName(methodName) || IsLaunchDarklyName(methodName) || IsGuardMethodName(methodName);

    /// <summary>
    /// Fragments of text that every name <see cref="MayEvaluateFlag"/> accepts contains one of, for a text search ahead
    /// of it (<c>Rules.Flags.FlagCallFinder</c>): "Value" or "Details" (OpenFeature's <c>Get*Value*Async</c> and
    /// <c>Get*Details*Async</c>), the two FeatureManagement names, "Variation" (LaunchDarkly) and the configured guard
    /// methods' names. Keep in step with the name tests below.
    /// </summary>
    public string[] FlagMethodNameFragments()
    {
        var fragments = new List<string> { "Value", "Details", "IsEnabledAsync", "GetVariantAsync", "Variation" };
        foreach (var guard in _options.GuardMethods)
        {
            if (!fragments.Contains(guard.Name))
            {
                fragments.Add(guard.Name);
            }
        }

        return fragments.ToArray();
    }

    /// <summary>
    /// A broader screen for a wrapper's body (<c>Task&lt;bool&gt; IsOnAsync() =&gt; GetFlagAsync("x")</c>): any
    /// <c>Get*Async</c> may be another wrapper.
    /// </summary>
    public bool MayEvaluateFlagOrWrap(string methodName)
    {
        if ((methodName.StartsWith("Get", StringComparison.Ordinal) && methodName.EndsWith("Async", StringComparison.Ordinal))
            || methodName == "IsEnabledAsync"
            || methodName.IndexOf("Variation", StringComparison.Ordinal) >= 0)
        {
            return true;
        }

        return IsGuardMethodName(methodName);
    }

    private bool IsGuardMethodName(string methodName)
    {
        foreach (var guard in _options.GuardMethods)
        {
            if (guard.Name == methodName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the symbol (a member or type) carries a gate attribute such as <c>[FeatureGate]</c>.</summary>
    public bool HasGateAttribute(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            var type = attribute.AttributeClass;
            if (type is null)
            {
                continue;
            }

            if (_gateAttributes.GetOrAdd(type, t => GateAttributeNames.Contains(t.ToDisplayString())))
            {
                return true;
            }

            foreach (var configured in _options.GuardAttributes)
            {
                if (SymbolEqualityComparer.Default.Equals(configured, type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when the symbol carries an opt-out attribute such as <c>[NoFeatureFlag("reason")]</c>.</summary>
    public bool HasOptOutAttribute(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            var type = attribute.AttributeClass;
            if (type is null)
            {
                continue;
            }

            if (type.Name == "NoFeatureFlagAttribute")
            {
                return true;
            }

            foreach (var configured in _options.OptOutAttributes)
            {
                if (SymbolEqualityComparer.Default.Equals(configured, type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True for a call that gates an endpoint, such as <c>.WithFeatureGate("x")</c>.</summary>
    public static bool IsEndpointGate(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        return name == "WithFeatureGate" || name == "RequireFeature" || name == "WithFeatureFlag";
    }

    /// <summary><c>Get{Boolean,String,Integer,Double,Object}{Value,Details}Async</c>.</summary>
    private static bool IsOpenFeatureName(string name) =>
        name.StartsWith("Get", StringComparison.Ordinal) && name.EndsWith("Async", StringComparison.Ordinal)
        && (name.IndexOf("Value", StringComparison.Ordinal) >= 0 || name.IndexOf("Details", StringComparison.Ordinal) >= 0);

    private static bool IsFeatureManagementName(string name) => name == "IsEnabledAsync" || name == "GetVariantAsync";

    /// <summary><c>BoolVariation</c>, <c>StringVariationDetail</c>, ...: contains "Variation". Asked for the name of every
    /// call of the compilation, so a loop over the name's characters, not <c>string.IndexOf</c> (whose set-up costs
    /// more than a method name is long).</summary>
    private static bool IsLaunchDarklyName(string name)
    {
        const string word = "Variation";
        for (var i = 0; i + word.Length <= name.Length; i++)
        {
            if (name[i] == 'V' && string.CompareOrdinal(name, i, word, 0, word.Length) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBooleanish(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Boolean)
        {
            return true;
        }

        return type is INamedTypeSymbol { IsGenericType: true, Name: "Task" or "ValueTask" } named
            && named.TypeArguments[0].SpecialType == SpecialType.System_Boolean;
    }

    private ApiFamily Family(INamedTypeSymbol type) => (ApiFamily)_families.GetOrAdd(type, ComputeBoxedFamily);

    private static ApiFamily ComputeFamily(INamedTypeSymbol type)
    {
        var family = FamilyOf(type.ToDisplayString());
        foreach (var @interface in type.AllInterfaces)
        {
            family |= FamilyOf(@interface.ToDisplayString());
        }

        return family;
    }

    private static ApiFamily FamilyOf(string name) =>
        (OpenFeatureTypes.Contains(name) ? ApiFamily.OpenFeature : ApiFamily.None)
        | (FeatureManagementTypes.Contains(name) ? ApiFamily.FeatureManagement : ApiFamily.None)
        | (LaunchDarklyTypes.Contains(name) ? ApiFamily.LaunchDarkly : ApiFamily.None);
}
