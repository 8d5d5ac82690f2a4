namespace Killswitch.Flags;

/// <summary>The JSON type of a <see cref="FlagValue"/>. Numbers keep the form they were written in.</summary>
// CA1720: the members are named after the JSON and OpenFeature type names they stand for, on purpose.
#pragma warning disable CA1720
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
enum FlagValueKind
{
    /// <summary>JSON <c>null</c>.</summary>
    Null,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A number written without a fraction or exponent that fits in a 64-bit signed integer.</summary>
    Integer,

    /// <summary>Any other number (a fraction, an exponent, or an integer too large for 64 bits).</summary>
    Float,

    /// <summary>A JSON object: properties in the order they were written.</summary>
    Object,

    /// <summary>A JSON array.</summary>
    Array,
}
#pragma warning restore CA1720
