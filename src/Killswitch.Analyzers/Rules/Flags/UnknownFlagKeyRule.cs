using System.Collections.Immutable;
using Killswitch.Analyzers.Configuration;
using Killswitch.Analyzers.Manifest;
using Killswitch.Flags;
using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers.Rules.Flags;

/// <summary>KS1002: a flag key the manifest does not define, with the closest key as "did you mean".</summary>
internal static class UnknownFlagKeyRule
{
    /// <summary>Diagnostic property: the manifest key the code fix rewrites to.</summary>
    public const string SuggestedKeyProperty = "KillswitchSuggestedKey";

    public static Diagnostic? Check(FlagCall call, FlagManifest manifest)
    {
        if (call.Key is null || manifest.Find(call.Key) is not null)
        {
            return null;
        }

        var suggestion = Closest(call.Key, manifest);
        var properties = suggestion is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(SuggestedKeyProperty, suggestion);
        return Diagnostic.Create(
            Descriptors.UnknownFlagKey,
            call.KeyArgument.Value.Syntax.GetLocation(),
            properties,
            call.Key,
            suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?");
    }

    /// <summary>The manifest key closest by edit distance, if close enough to be a typo (at most a third of the key, min 2).</summary>
    internal static string? Closest(string key, FlagManifest manifest)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var flag in manifest.Flags)
        {
            var distance = KillswitchOptions.EditDistance(key.ToLowerInvariant(), flag.Key.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = flag.Key;
                bestDistance = distance;
            }
        }

        var limit = System.Math.Max(2, key.Length / 3);
        return bestDistance <= limit ? best : null;
    }
}
