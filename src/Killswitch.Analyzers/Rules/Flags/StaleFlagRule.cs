using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Killswitch.Analyzers.Manifest;
using Killswitch.Flags;
using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers.Rules.Flags;

/// <summary>KS1006: a flag past its expiry or disabled; KS1010 (info): a non-permanent flag with one variant.
/// Both carry what the "Remove flag, keep variant X" code fix needs.</summary>
internal static class StaleFlagRule
{
    /// <summary>Diagnostic property: the variants as <c>name=json</c> lines, in manifest order.</summary>
    public const string VariantsProperty = "KillswitchVariants";

    /// <summary>Diagnostic property: the variant the fix keeps first (the one in production); absent for a
    /// DISABLED flag, which serves the code's default.</summary>
    public const string ServedVariantProperty = "KillswitchServedVariant";

    /// <summary>Diagnostic property: the flag key, so Fix All for "keep variant X" only touches that flag.</summary>
    public const string FlagKeyProperty = "KillswitchFlagKey";

    public static Diagnostic? Check(FlagCall call, FlagDefinition flag, DateTime today)
    {
        string? reason = null;
        string? served = flag.DefaultVariant;
        if (flag.State == FlagState.Disabled)
        {
            reason = $"it is DISABLED in {ManifestSource.Describe(flag.Location)}, so every evaluation returns the code's default";
            served = null;
        }
        else if (flag.Metadata.Expiry is { } expiry && expiry.Date < today.Date)
        {
            reason = string.Format(CultureInfo.InvariantCulture, "it expired on {0:yyyy-MM-dd} ({1})", expiry, ManifestSource.Describe(flag.Location));
        }

        if (reason is not null)
        {
            return Diagnostic.Create(Descriptors.StaleFlag, call.Invocation.Syntax.GetLocation(), Properties(flag, served), flag.Key, reason);
        }

        if (flag.Variants.Count == 1 && !flag.Metadata.Permanent)
        {
            return Diagnostic.Create(
                Descriptors.SingleVariantFlag,
                call.Invocation.Syntax.GetLocation(),
                Properties(flag, flag.Variants[0].Name),
                flag.Key,
                flag.Variants[0].ToString());
        }

        return null;
    }

    private static ImmutableDictionary<string, string?> Properties(FlagDefinition flag, string? served)
    {
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(FlagKeyProperty, flag.Key)
            .Add(VariantsProperty, string.Join("\n", flag.Variants.Select(v => v.Name + "=" + v.Value.ToJson())));
        return served is null ? properties : properties.Add(ServedVariantProperty, served);
    }
}
