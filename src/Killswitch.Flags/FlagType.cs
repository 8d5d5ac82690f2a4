namespace Killswitch.Flags;

/// <summary>
/// The type of a flag: what OpenFeature's typed resolvers return for it (<c>GetBooleanValue</c>, <c>GetStringValue</c>,
/// <c>GetIntegerValue</c>, <c>GetDoubleValue</c>, <c>GetObjectValue</c>). Every variant value of a flag has the matching
/// <see cref="FlagValueKind"/>.
/// </summary>
// CA1720: the members are named after the JSON and OpenFeature type names they stand for, on purpose.
#pragma warning disable CA1720
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
enum FlagType
{
    /// <summary>Variants are <c>true</c>/<c>false</c>.</summary>
    Boolean,

    /// <summary>Variants are strings.</summary>
    String,

    /// <summary>Variants are numbers written without a fraction or exponent.</summary>
    Integer,

    /// <summary>Variants are numbers, at least one written with a fraction or exponent.</summary>
    Float,

    /// <summary>Variants are JSON objects.</summary>
    Object,
}
#pragma warning restore CA1720
