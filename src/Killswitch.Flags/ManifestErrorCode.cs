namespace Killswitch.Flags;

/// <summary>What is wrong in a manifest. The values are stable: tools may switch on them. docs/flags.md lists every message.</summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
enum ManifestErrorCode
{
    /// <summary>The file is not valid JSON; nothing of the file is used.</summary>
    InvalidJson,

    /// <summary>A known property has the wrong JSON type (e.g. <c>"variants": []</c>), or the file is not an object.</summary>
    InvalidStructure,

    /// <summary>A required property is missing: <c>flags</c>, <c>state</c>, <c>variants</c>, <c>flagType</c>, <c>defaultValue</c>, an array flag's <c>key</c>.</summary>
    MissingProperty,

    /// <summary>A flag key, variant name or evaluator name is empty.</summary>
    EmptyName,

    /// <summary>A flag key occurs twice in one file, or a variant name twice in one flag.</summary>
    DuplicateName,

    /// <summary>A flag is neither a flagd flag nor an OpenFeature CLI flag.</summary>
    UnknownFormat,

    /// <summary>A file mixes flagd flags and OpenFeature CLI flags.</summary>
    MixedFormats,

    /// <summary><c>state</c> is not <c>"ENABLED"</c> or <c>"DISABLED"</c>.</summary>
    InvalidState,

    /// <summary><c>variants</c> is empty.</summary>
    NoVariants,

    /// <summary>A variant value is null or an array.</summary>
    UnsupportedVariantType,

    /// <summary>The variants of a flag have different JSON types.</summary>
    MixedVariantTypes,

    /// <summary>A number variant lies outside -9007199254740991..9007199254740991, the range the flagd schema allows.</summary>
    NumberOutOfRange,

    /// <summary><c>defaultVariant</c> names no variant of the flag.</summary>
    UnknownDefaultVariant,

    /// <summary>A <c>{"$ref": "name"}</c> names no entry of <c>$evaluators</c>, or names an evaluator that has an error.</summary>
    UnresolvedReference,

    /// <summary>Evaluators refer to each other in a cycle.</summary>
    CircularReference,

    /// <summary>A <c>$ref</c> leads more than 8 evaluators deep, or a rule expands to more than 100,000 values through <c>$ref</c>s (limits that keep every reader safe from a hostile file).</summary>
    ReferenceLimitExceeded,

    /// <summary><c>flagType</c> is not one of boolean, string, integer, float, object.</summary>
    InvalidFlagType,

    /// <summary><c>defaultValue</c> does not have the type <c>flagType</c> names.</summary>
    DefaultValueTypeMismatch,

    /// <summary>The <c>schema</c> of an OpenFeature CLI object flag is not the JSON Schema subset the CLI accepts.</summary>
    InvalidValueSchema,

    /// <summary>A metadata value is not a string, number or boolean, <c>expiry</c> is not a date, <c>permanent</c> is not a boolean, or a flag is both permanent and expiring.</summary>
    InvalidMetadata,

    /// <summary>Two files define the same flag key with different types.</summary>
    ConflictingFlagType,

    /// <summary>A manifest file could not be read from disk.</summary>
    UnreadableFile,
}
