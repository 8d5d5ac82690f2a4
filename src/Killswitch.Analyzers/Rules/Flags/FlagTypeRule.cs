using Killswitch.Analyzers.Manifest;
using Killswitch.Flags;
using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers.Rules.Flags;

/// <summary>KS1003: the evaluation method's type does not match the flag's manifest type.</summary>
internal static class FlagTypeRule
{
    public static Diagnostic? Check(FlagCall call, FlagDefinition flag)
    {
        if (call.ExpectedType is not { } expected || Compatible(expected, flag.Type))
        {
            return null;
        }

        return Diagnostic.Create(
            Descriptors.FlagTypeMismatch,
            call.Invocation.Syntax.GetLocation(),
            call.MethodName,
            flag.Key,
            Name(expected),
            Name(flag.Type),
            ManifestSource.Describe(flag.Location));
    }

    /// <summary>Integer flags may be read as floating point (widening); nothing else converts.</summary>
    internal static bool Compatible(FlagType expected, FlagType actual) =>
        expected == actual || (expected == FlagType.Float && actual == FlagType.Integer);

    internal static string Name(FlagType type) => type switch
    {
        FlagType.Boolean => "boolean",
        FlagType.String => "string",
        FlagType.Integer => "integer",
        FlagType.Float => "float",
        _ => "object",
    };
}
