using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;

/// <summary>The value a removed flag is replaced by: one manifest variant, or the code's own default.</summary>
internal sealed class KeptValue
{
    private static readonly char[] FloatMarks = { '.', 'e', 'E' };

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
    internal static bool TryParseScalar(string json, out object? value)
    {
        value = null;
        json = json.Trim();
        if (json == "true" || json == "false")
        {
            value = json == "true";
            return true;
        }

        if (json.Length >= 2 && json[0] == '"' && json[json.Length - 1] == '"')
        {
            return TryUnescape(json.Substring(1, json.Length - 2), out value);
        }

        if (json.Length > 0 && (char.IsDigit(json[0]) || json[0] == '-'))
        {
            if (json.IndexOfAny(FloatMarks) < 0 && long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                value = integer;
                return true;
            }

            if (double.TryParse(json, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                value = number;
                return true;
            }
        }

        return false;
    }

    private static bool TryUnescape(string text, out object? value)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (++i >= text.Length)
            {
                value = null;
                return false;
            }

            switch (text[i])
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u' when i + 4 < text.Length
                    && int.TryParse(text.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        value = builder.ToString();
        return true;
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
