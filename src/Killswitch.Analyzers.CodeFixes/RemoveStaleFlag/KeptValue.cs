using System;
using System.Collections.Generic;
using System.Globalization;
using Killswitch.Flags;
using Killswitch.Flags.Json;

namespace Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;

/// <summary>The value a removed flag is replaced by: one manifest variant, or the code's own default.</summary>
internal sealed class KeptValue
{
    private KeptValue(string? variantName, object? value, string json)
    {
        VariantName = variantName;
        Value = value;
        Json = json;
    }

    /// <summary>The variant's name, or null for the code's default.</summary>
    public string? VariantName { get; }

    /// <summary>The value: bool, string, long or double; null when the code default is kept (read at the call).</summary>
    public object? Value { get; }

    /// <summary>How the title shows the value.</summary>
    public string Json { get; }

    public static KeptValue CodeDefault { get; } = new(null, null, "the code default");

    /// <summary>Parses the analyzer's <c>name=json</c> lines (KillswitchVariants); object and null values are skipped.</summary>
    public static List<KeptValue> ParseVariants(string? lines)
    {
        var result = new List<KeptValue>();
        foreach (var line in (lines ?? string.Empty).Split('\n'))
        {
            var equals = line.IndexOf('=');
            if (equals <= 0 || !TryParseScalar(line.Substring(equals + 1), out var value))
            {
                continue;
            }

            result.Add(new KeptValue(line.Substring(0, equals), value, line.Substring(equals + 1)));
        }

        return result;
    }

    /// <summary>A JSON scalar: true, false, a number or a string; anything else is not a literal the fix can write.</summary>
    /// <remarks>Read with the manifest's own JSON reader (Killswitch.Flags, compiled into the analyzer assembly), so
    /// the fix reads a variant exactly as the rule wrote it.</remarks>
    internal static bool TryParseScalar(string json, out object? value)
    {
        var root = JsonDocument.Parse(json).Root;
        value = root?.Kind switch
        {
            FlagValueKind.Boolean => root.AsBoolean(),
            FlagValueKind.String => root.AsString(),
            FlagValueKind.Integer => root.AsInteger(),
            FlagValueKind.Float => root.AsFloat(),
            _ => null,
        };
        return value is not null;
    }

    public override string ToString() => VariantName is null ? Json : $"'{VariantName}' ({Json})";

    /// <summary>Equality of two constant values the way C# compares them (numbers by value, strings ordinally).</summary>
    internal static bool? ConstantEquals(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null ? true : null;
        }

        if (a is string || b is string)
        {
            return a is string sa && b is string sb ? string.Equals(sa, sb, StringComparison.Ordinal) : null;
        }

        if (a is bool || b is bool)
        {
            return a is bool ba && b is bool bb ? ba == bb : null;
        }

        return IsNumber(a) && IsNumber(b) ? Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture) : null;
    }

    internal static bool IsNumber(object value) =>
        value is int or long or double or float or decimal or short or byte or uint or ulong or ushort or sbyte;
}
