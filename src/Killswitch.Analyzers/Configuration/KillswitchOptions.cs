using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Killswitch.Analyzers.Configuration;

/// <summary>
/// The <c>killswitch.*</c> keys read from .editorconfig / .globalconfig. Unknown keys and values that do not
/// parse become KS0001 diagnostics (collected in <see cref="Problems"/>); the rest of the configuration applies.
/// </summary>
internal sealed class KillswitchOptions
{
    public const string Prefix = "killswitch.";
    public const string GuardMethodsKey = "killswitch.guard_methods";
    public const string GuardAttributesKey = "killswitch.guard_attributes";
    public const string OptOutAttributesKey = "killswitch.no_flag_attributes";
    public const string NewCodeScopeKey = "killswitch.new_code_scope";
    public const string FollowCallsKey = "killswitch.follow_calls";

    /// <summary>Every key this version understands, for the "did you mean" of KS0001.</summary>
    public static readonly ImmutableArray<string> KnownKeys = ImmutableArray.Create(
        GuardMethodsKey, GuardAttributesKey, OptOutAttributesKey, NewCodeScopeKey, FollowCallsKey);

    private static readonly char[] InvalidMethodCharacters = { '(', ' ', '<' };
    private static readonly char[] ListSeparators = { ',', ';' };

    private KillswitchOptions(
        ImmutableArray<IMethodSymbol> guardMethods,
        ImmutableArray<INamedTypeSymbol> guardAttributes,
        ImmutableArray<INamedTypeSymbol> optOutAttributes,
        NewCodeScope? scope,
        bool followCalls,
        ImmutableArray<string> problems)
    {
        GuardMethods = guardMethods;
        GuardAttributes = guardAttributes;
        OptOutAttributes = optOutAttributes;
        ScopeOverride = scope;
        FollowCalls = followCalls;
        Problems = problems;
    }

    /// <summary>User methods that evaluate a flag (calls to them count as flag evaluations).</summary>
    public ImmutableArray<IMethodSymbol> GuardMethods { get; }

    /// <summary>User attributes that gate a member or type, like <c>[FeatureGate]</c>.</summary>
    public ImmutableArray<INamedTypeSymbol> GuardAttributes { get; }

    /// <summary>User attributes that opt a member or type out of KS1001, like <c>[NoFeatureFlag]</c>.</summary>
    public ImmutableArray<INamedTypeSymbol> OptOutAttributes { get; }

    /// <summary>Overrides the scope handed over by MSBuild (for use without Killswitch.Build).</summary>
    public NewCodeScope? ScopeOverride { get; }

    /// <summary>Whether a new private/internal member only called from guarded code counts as guarded.</summary>
    public bool FollowCalls { get; }

    /// <summary>Human-readable problems, one per bad key or value.</summary>
    public ImmutableArray<string> Problems { get; }

    public static KillswitchOptions Read(AnalyzerConfigOptions options, Compilation compilation)
    {
        var problems = ImmutableArray.CreateBuilder<string>();

        foreach (var key in EnumerateKeys(options))
        {
            if (key.StartsWith(Prefix, StringComparison.Ordinal) && !KnownKeys.Contains(key))
            {
                var suggestion = KnownKeys.OrderBy(known => EditDistance(known, key)).First();
                problems.Add($"'{key}' is not a Killswitch option; did you mean '{suggestion}'? Known keys: {string.Join(", ", KnownKeys)}.");
            }
        }

        var guardMethods = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var entry in ReadList(options, GuardMethodsKey))
        {
            var lastDot = entry.LastIndexOf('.');
            if (lastDot <= 0 || lastDot == entry.Length - 1 || entry.IndexOfAny(InvalidMethodCharacters) >= 0)
            {
                problems.Add($"{GuardMethodsKey}: '{entry}' is not of the form 'Namespace.Type.Method' (all overloads of the method count).");
                continue;
            }

            var type = compilation.GetTypeByMetadataName(entry.Substring(0, lastDot));
            var methods = type?.GetMembers(entry.Substring(lastDot + 1)).OfType<IMethodSymbol>().ToArray();
            if (methods is null || methods.Length == 0)
            {
                problems.Add($"{GuardMethodsKey}: '{entry}' names no method in this compilation or its references; expected 'Namespace.Type.Method' with the type's metadata name (nested types as 'Outer+Inner').");
                continue;
            }

            guardMethods.AddRange(methods);
        }

        var guardAttributes = ReadTypes(options, compilation, GuardAttributesKey, problems);
        var optOutAttributes = ReadTypes(options, compilation, OptOutAttributesKey, problems);

        NewCodeScope? scope = null;
        if (options.TryGetValue(NewCodeScopeKey, out var scopeText) && scopeText.Trim().Length > 0)
        {
            if (NewCodeMap.TryParseScope(scopeText, out var parsed))
            {
                scope = parsed;
            }
            else
            {
                problems.Add($"{NewCodeScopeKey}: '{scopeText}' is not one of changed, all, none.");
            }
        }

        var followCalls = true;
        if (options.TryGetValue(FollowCallsKey, out var followText))
        {
            if (bool.TryParse(followText.Trim(), out var parsed))
            {
                followCalls = parsed;
            }
            else
            {
                problems.Add($"{FollowCallsKey}: '{followText}' is not true or false.");
            }
        }

        return new KillswitchOptions(
            guardMethods.ToImmutable(),
            guardAttributes,
            optOutAttributes,
            scope,
            followCalls,
            problems.ToImmutable());
    }

    private static ImmutableArray<INamedTypeSymbol> ReadTypes(
        AnalyzerConfigOptions options,
        Compilation compilation,
        string key,
        ImmutableArray<string>.Builder problems)
    {
        var types = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var entry in ReadList(options, key))
        {
            var type = compilation.GetTypeByMetadataName(entry)
                ?? compilation.GetTypeByMetadataName(entry + "Attribute");
            if (type is null)
            {
                problems.Add($"{key}: '{entry}' names no type in this compilation or its references; expected the attribute's full metadata name, e.g. 'MyCompany.Flags.FlaggedAttribute'.");
                continue;
            }

            types.Add(type);
        }

        return types.ToImmutable();
    }

    private static IEnumerable<string> ReadList(AnalyzerConfigOptions options, string key)
    {
        if (!options.TryGetValue(key, out var value))
        {
            return Array.Empty<string>();
        }

        return value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Trim())
            .Where(part => part.Length > 0);
    }

    private static IEnumerable<string> EnumerateKeys(AnalyzerConfigOptions options)
    {
        try
        {
            return options.Keys;
        }
        catch (NotImplementedException)
        {
            // Older hosts do not enumerate keys; unknown keys then go unreported.
            return Array.Empty<string>();
        }
    }

    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
