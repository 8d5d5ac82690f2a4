using System.Globalization;
using System.Text;

namespace Killswitch.Flags.Json;

/// <summary>Writes <see cref="FlagValue"/>s as RFC 8259 JSON, compact or indented with two spaces.</summary>
internal static class JsonWriter
{
    /// <param name="builder">Where to write.</param>
    /// <param name="value">What to write.</param>
    /// <param name="indent">The current indentation level, or null for compact output.</param>
    public static void Write(StringBuilder builder, FlagValue value, int? indent)
    {
        switch (value.Kind)
        {
            case FlagValueKind.Null:
                builder.Append("null");
                break;
            case FlagValueKind.Boolean:
                builder.Append(value.AsBoolean() ? "true" : "false");
                break;
            case FlagValueKind.String:
                WriteString(builder, value.AsString());
                break;
            case FlagValueKind.Integer:
                builder.Append(value.AsInteger().ToString(CultureInfo.InvariantCulture));
                break;
            case FlagValueKind.Float:
                builder.Append(FormatFloat(value.AsFloat()));
                break;
            case FlagValueKind.Object:
                var properties = value.AsObject();
                if (properties.Count == 0)
                {
                    builder.Append("{}");
                    break;
                }

                builder.Append('{');
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    NewLine(builder, indent + 1);
                    WriteString(builder, properties[i].Key);
                    builder.Append(indent is null ? ":" : ": ");
                    Write(builder, properties[i].Value, indent + 1);
                }

                NewLine(builder, indent);
                builder.Append('}');
                break;
            default:
                var items = value.AsArray();
                if (items.Count == 0)
                {
                    builder.Append("[]");
                    break;
                }

                builder.Append('[');
                for (var i = 0; i < items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    NewLine(builder, indent + 1);
                    Write(builder, items[i], indent + 1);
                }

                NewLine(builder, indent);
                builder.Append(']');
                break;
        }
    }

    public static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                _ when c < ' ' || IsLoneSurrogate(value, i) => string.Format(CultureInfo.InvariantCulture, "\\u{0:x4}", (int)c),
                _ => null,
            };
            if (escape is null)
            {
                continue;
            }

            builder.Append(value, start, i - start);
            builder.Append(escape);
            start = i + 1;
        }

        builder.Append(value, start, value.Length - start);
        builder.Append('"');
    }

    /// <summary>The shortest text that reads back to the same double, always with a fraction or exponent so it reads back as a float.</summary>
    public static string FormatFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0)
        {
            text += ".0";
        }

        return text;
    }

    private static bool IsLoneSurrogate(string value, int index)
    {
        var c = value[index];
        if (char.IsHighSurrogate(c))
        {
            return index + 1 >= value.Length || !char.IsLowSurrogate(value[index + 1]);
        }

        return char.IsLowSurrogate(c) && (index == 0 || !char.IsHighSurrogate(value[index - 1]));
    }

    private static void NewLine(StringBuilder builder, int? indent)
    {
        if (indent is { } level)
        {
            builder.Append('\n');
            builder.Append(' ', level * 2);
        }
    }
}
