using System.Collections.Generic;
using System.Linq;
using Killswitch.Flags;
using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers.Rules.Flags;

/// <summary>KS1005: a string flag's value compared with a literal that is none of its variants' values;
/// KS1008 (info): a switch over the value without a default that misses a variant.</summary>
internal static class VariantValueRule
{
    /// <summary>KS1005 for <paramref name="literal"/> compared with the value of <paramref name="flag"/>.</summary>
    public static IEnumerable<Diagnostic> CheckComparison(FlagDefinition flag, IOperation literal)
    {
        if (literal.ConstantValue is not { HasValue: true, Value: string text })
        {
            yield break;
        }

        if (!Values(flag).Contains(text))
        {
            yield return Unknown(flag, text, literal.Syntax.GetLocation());
        }
    }

    /// <summary>KS1005 for each label of a switch over the value of <paramref name="flag"/>, KS1008 for the variants it misses.</summary>
    public static IEnumerable<Diagnostic> CheckSwitch(FlagDefinition flag, IEnumerable<IOperation> labels, bool hasDefault, Location switchLocation)
    {
        var values = Values(flag);
        var handled = new HashSet<string>();
        foreach (var label in labels)
        {
            if (label.ConstantValue is { HasValue: true, Value: string text })
            {
                handled.Add(text);
                if (!values.Contains(text))
                {
                    yield return Unknown(flag, text, label.Syntax.GetLocation());
                }
            }
        }

        var missing = values.Where(v => !handled.Contains(v)).ToList();
        if (!hasDefault && missing.Count > 0)
        {
            yield return Diagnostic.Create(Descriptors.UnhandledVariant, switchLocation, flag.Key, string.Join(", ", missing.Select(m => "\"" + m + "\"")));
        }
    }

    private static Diagnostic Unknown(FlagDefinition flag, string text, Location location) =>
        Diagnostic.Create(
            Descriptors.UnknownVariantValue,
            location,
            flag.Key,
            "\"" + text + "\"",
            string.Join(", ", flag.Variants.Select(v => v.Name + "=" + v.Value.ToJson())));

    private static List<string> Values(FlagDefinition flag) => flag.Variants.Select(v => v.Value.AsString()).ToList();
}
