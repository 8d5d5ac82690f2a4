using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Killswitch.Flags.Json;

namespace Killswitch.Flags;

/// <summary>
/// An immutable JSON value as a flag serves it: a variant value, a default value, metadata or a targeting rule.
/// It keeps the JSON type it was written with, integers apart from floats, so an OFREP response or a flagd file
/// written from it says what the manifest said.
/// </summary>
/// <remarks>
/// Equality is structural: same kind and same content. Object properties compare without regard to order, and
/// an integer never equals a float (<c>1</c> and <c>1.0</c> are different values, as they are different flag types).
/// </remarks>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed class FlagValue : IEquatable<FlagValue>
{
    private static readonly KeyValuePair<string, FlagValue>[] NoProperties = [];
    private static readonly FlagValue[] NoItems = [];

    // One field for the scalar payload (bool as 0/1, long, or the bits of a double), one for the reference payload.
    private readonly long _bits;
    private readonly object? _payload;

    internal FlagValue(FlagValueKind kind, long bits, object? payload, int offset, int[]? keyOffsets)
    {
        Kind = kind;
        _bits = bits;
        _payload = payload;
        Offset = offset;
        KeyOffsets = keyOffsets;
    }

    /// <summary>JSON <c>null</c>.</summary>
    public static FlagValue Null { get; } = new(FlagValueKind.Null, 0, null, -1, null);

    /// <summary>JSON <c>true</c>.</summary>
    public static FlagValue True { get; } = new(FlagValueKind.Boolean, 1, null, -1, null);

    /// <summary>JSON <c>false</c>.</summary>
    public static FlagValue False { get; } = new(FlagValueKind.Boolean, 0, null, -1, null);

    /// <summary>The JSON type of this value.</summary>
    public FlagValueKind Kind { get; }

    /// <summary>Where the value starts in the text it was read from (a character offset), or -1 when it was built in code.</summary>
    internal int Offset { get; }

    /// <summary>For an object read from text: the offset of each property name, in property order.</summary>
    internal int[]? KeyOffsets { get; }

    /// <summary>Returns the boolean value.</summary>
    public static FlagValue FromBoolean(bool value) => value ? True : False;

    /// <summary>Returns a string value.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static FlagValue FromString(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        return new FlagValue(FlagValueKind.String, 0, value, -1, null);
    }

    /// <summary>Returns an integer value.</summary>
    public static FlagValue FromInteger(long value) => new(FlagValueKind.Integer, value, null, -1, null);

    /// <summary>Returns a float value. JSON has no NaN or infinity, so neither is accepted.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    public static FlagValue FromFloat(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON numbers are finite: NaN and infinity cannot be flag values.");
        }

        return CreateFloat(value, -1);
    }

    /// <summary>Returns an object value with the given properties, in the given order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="properties"/>, a name or a value is null.</exception>
    public static FlagValue FromObject(IEnumerable<KeyValuePair<string, FlagValue>> properties)
    {
        if (properties is null)
        {
            throw new ArgumentNullException(nameof(properties));
        }

        var copy = new List<KeyValuePair<string, FlagValue>>(properties);
        foreach (var property in copy)
        {
            if (property.Key is null || property.Value is null)
            {
                throw new ArgumentNullException(nameof(properties), "An object property has a null name or value.");
            }
        }

        return new FlagValue(FlagValueKind.Object, 0, copy.ToArray(), -1, null);
    }

    /// <summary>Returns an array value with the given items, in the given order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or an item is null.</exception>
    public static FlagValue FromArray(IEnumerable<FlagValue> items)
    {
        if (items is null)
        {
            throw new ArgumentNullException(nameof(items));
        }

        var copy = new List<FlagValue>(items);
        if (copy.Contains(null!))
        {
            throw new ArgumentNullException(nameof(items), "An array item is null; use FlagValue.Null for JSON null.");
        }

        return new FlagValue(FlagValueKind.Array, 0, copy.ToArray(), -1, null);
    }

    /// <summary>Reads one JSON value (RFC 8259, no comments, no trailing commas).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The text is not valid JSON; the message names the line and column.</exception>
    public static FlagValue Parse(string json)
    {
        if (json is null)
        {
            throw new ArgumentNullException(nameof(json));
        }

        var document = JsonDocument.Parse(json);
        if (document.Error is { } error)
        {
            var position = document.GetPosition(error.Offset);
            throw new FormatException(string.Format(CultureInfo.InvariantCulture, "Line {0}, column {1}: {2}", position.Line, position.Column, error.Message));
        }

        return document.Root!;
    }

    /// <summary>Returns the boolean.</summary>
    /// <exception cref="InvalidOperationException">The value is not a boolean.</exception>
    public bool AsBoolean()
    {
        Expect(FlagValueKind.Boolean);
        return _bits != 0;
    }

    /// <summary>Returns the string.</summary>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public string AsString()
    {
        Expect(FlagValueKind.String);
        return (string)_payload!;
    }

    /// <summary>Returns the integer.</summary>
    /// <exception cref="InvalidOperationException">The value is not an integer.</exception>
    public long AsInteger()
    {
        Expect(FlagValueKind.Integer);
        return _bits;
    }

    /// <summary>Returns the number as a double: a float as it is, an integer converted.</summary>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public double AsFloat()
    {
        if (Kind == FlagValueKind.Integer)
        {
            return _bits;
        }

        Expect(FlagValueKind.Float);
        return BitConverter.Int64BitsToDouble(_bits);
    }

    /// <summary>Returns the properties of an object, in the order they were written.</summary>
    /// <exception cref="InvalidOperationException">The value is not an object.</exception>
    public IReadOnlyList<KeyValuePair<string, FlagValue>> AsObject()
    {
        Expect(FlagValueKind.Object);
        return (KeyValuePair<string, FlagValue>[])_payload!;
    }

    /// <summary>Returns the items of an array.</summary>
    /// <exception cref="InvalidOperationException">The value is not an array.</exception>
    public IReadOnlyList<FlagValue> AsArray()
    {
        Expect(FlagValueKind.Array);
        return (FlagValue[])_payload!;
    }

    /// <summary>Returns the value of an object's property, or null when the value is not an object or has no such property.</summary>
    /// <remarks>When a name occurs twice, the last occurrence wins, as in most JSON readers.</remarks>
    public FlagValue? FindProperty(string name)
    {
        if (Kind != FlagValueKind.Object)
        {
            return null;
        }

        var properties = (KeyValuePair<string, FlagValue>[])_payload!;
        for (var i = properties.Length - 1; i >= 0; i--)
        {
            if (string.Equals(properties[i].Key, name, StringComparison.Ordinal))
            {
                return properties[i].Value;
            }
        }

        return null;
    }

    /// <summary>Writes the value as compact JSON (RFC 8259). A float always carries a fraction or exponent, so it reads back as a float.</summary>
    public string ToJson()
    {
        var builder = new StringBuilder();
        JsonWriter.Write(builder, this, indent: null);
        return builder.ToString();
    }

    /// <summary>Writes the value as indented JSON (two spaces, <c>\n</c> line ends).</summary>
    public string ToIndentedJson()
    {
        var builder = new StringBuilder();
        JsonWriter.Write(builder, this, indent: 0);
        return builder.ToString();
    }

    /// <summary>Returns <see cref="ToJson"/>.</summary>
    public override string ToString() => ToJson();

    /// <inheritdoc />
    public bool Equals(FlagValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        switch (Kind)
        {
            case FlagValueKind.Null:
                return true;
            case FlagValueKind.String:
                return string.Equals((string)_payload!, (string)other._payload!, StringComparison.Ordinal);
            case FlagValueKind.Array:
                var items = (FlagValue[])_payload!;
                var otherItems = (FlagValue[])other._payload!;
                if (items.Length != otherItems.Length)
                {
                    return false;
                }

                for (var i = 0; i < items.Length; i++)
                {
                    if (!items[i].Equals(otherItems[i]))
                    {
                        return false;
                    }
                }

                return true;
            case FlagValueKind.Object:
                var properties = (KeyValuePair<string, FlagValue>[])_payload!;
                var otherProperties = (KeyValuePair<string, FlagValue>[])other._payload!;
                if (properties.Length != otherProperties.Length)
                {
                    return false;
                }

                foreach (var property in properties)
                {
                    if (!property.Value.Equals(other.FindProperty(property.Key)))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return _bits == other._bits;
        }
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FlagValue);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        switch (Kind)
        {
            case FlagValueKind.String:
                return StringComparer.Ordinal.GetHashCode((string)_payload!);
            case FlagValueKind.Array:
                var hash = 17;
                foreach (var item in (FlagValue[])_payload!)
                {
                    hash = unchecked((hash * 31) + item.GetHashCode());
                }

                return hash;
            case FlagValueKind.Object:
                // Order-independent, as equality is.
                var sum = 19;
                foreach (var property in (KeyValuePair<string, FlagValue>[])_payload!)
                {
                    sum = unchecked(sum + (StringComparer.Ordinal.GetHashCode(property.Key) ^ property.Value.GetHashCode()));
                }

                return sum;
            default:
                return unchecked(((int)Kind * 397) ^ _bits.GetHashCode());
        }
    }

    internal static FlagValue CreateString(string value, int offset) => new(FlagValueKind.String, 0, value, offset, null);

    internal static FlagValue CreateInteger(long value, int offset) => new(FlagValueKind.Integer, value, null, offset, null);

    internal static FlagValue CreateFloat(double value, int offset)
    {
        // -0.0 and 0.0 are the same JSON number.
        if (value == 0)
        {
            value = 0;
        }

        return new FlagValue(FlagValueKind.Float, BitConverter.DoubleToInt64Bits(value), null, offset, null);
    }

    internal static FlagValue CreateBoolean(bool value, int offset) => new(FlagValueKind.Boolean, value ? 1 : 0, null, offset, null);

    internal static FlagValue CreateNull(int offset) => new(FlagValueKind.Null, 0, null, offset, null);

    internal static FlagValue CreateObject(KeyValuePair<string, FlagValue>[] properties, int offset, int[]? keyOffsets) =>
        new(FlagValueKind.Object, 0, properties.Length == 0 ? NoProperties : properties, offset, keyOffsets);

    internal static FlagValue CreateArray(FlagValue[] items, int offset) =>
        new(FlagValueKind.Array, 0, items.Length == 0 ? NoItems : items, offset, null);

    /// <summary>The same value at another position (or none): used when a resolved <c>$ref</c> is copied into place.</summary>
    internal FlagValue WithOffset(int offset) => new(Kind, _bits, _payload, offset, KeyOffsets);

    internal static string Describe(FlagValueKind kind) => kind switch
    {
        FlagValueKind.Null => "null",
        FlagValueKind.Boolean => "a boolean",
        FlagValueKind.String => "a string",
        FlagValueKind.Integer => "an integer",
        FlagValueKind.Float => "a float",
        FlagValueKind.Object => "an object",
        _ => "an array",
    };

    private void Expect(FlagValueKind kind)
    {
        if (Kind != kind)
        {
            throw new InvalidOperationException($"The value is {Describe(Kind)}, not {Describe(kind)}: {ToJson()}");
        }
    }
}
