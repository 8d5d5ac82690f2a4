using System;
using System.Globalization;
using Killswitch.Analyzers.Manifest;
using Killswitch.Flags;
using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers.Rules.Flags;

/// <summary>KS1004: the code's default value disagrees with the manifest's default variant, or (when the manifest
/// has no default) with the default another call site uses for the same key.</summary>
internal static class DefaultValueRule
{
    public static Diagnostic? Check(FlagCall call, FlagDefinition flag, FlagValue codeDefault)
    {
        if (flag.DefaultValue is not { } manifestDefault || SameValue(codeDefault, manifestDefault))
        {
            return null;
        }

        return Diagnostic.Create(
            Descriptors.DefaultValueMismatch,
            call.DefaultArgument!.Value.Syntax.GetLocation(),
            codeDefault.ToJson(),
            flag.Key,
            $"the manifest's default {manifestDefault.ToJson()} (variant '{flag.DefaultVariant}', {ManifestSource.Describe(flag.Location)})");
    }

    public static Diagnostic CrossSite(string key, FlagValue value, Location location, FlagValue otherValue, Location otherLocation)
    {
        var other = otherLocation.GetLineSpan();
        return Diagnostic.Create(
            Descriptors.DefaultValueMismatch,
            location,
            value.ToJson(),
            key,
            string.Format(
                CultureInfo.InvariantCulture,
                "the default {0} used at {1}({2},{3})",
                otherValue.ToJson(),
                System.IO.Path.GetFileName(other.Path),
                other.StartLinePosition.Line + 1,
                other.StartLinePosition.Character + 1));
    }

    /// <summary>The code's constant default as a manifest value, or null when it is not a constant.</summary>
    public static FlagValue? CodeDefault(FlagCall call)
    {
        if (call.DefaultArgument?.Value.ConstantValue is not { HasValue: true } constant)
        {
            return null;
        }

        return constant.Value switch
        {
            bool b => FlagValue.FromBoolean(b),
            string s => FlagValue.FromString(s),
            int i => FlagValue.FromInteger(i),
            long l => FlagValue.FromInteger(l),
            double d => FlagValue.FromFloat(d),
            float f => FlagValue.FromFloat(f),
            decimal m => FlagValue.FromFloat((double)m),
            _ => null,
        };
    }

    public static bool SameValue(FlagValue a, FlagValue b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return Math.Abs(a.AsFloat() - b.AsFloat()) < 1e-12;
        }

        return a.Equals(b);
    }

    private static bool IsNumber(FlagValue value) => value.Kind is FlagValueKind.Integer or FlagValueKind.Float;
}
