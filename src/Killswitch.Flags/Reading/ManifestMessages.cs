using System.Collections.Generic;
using System.Globalization;
using Killswitch.Flags.Json;

namespace Killswitch.Flags.Reading;

/// <summary>Every message a manifest can be reported with, in one place so docs/flags.md and the tests can pin them.</summary>
internal static class ManifestMessages
{
    public const string FlagTypes = "boolean, string, integer, float, object";

    public const string SchemaTypes = "object, array, string, number, integer, boolean";

    public const long MaxSafeInteger = 9007199254740991;

    // The file.
    public static string RootNotObject(FlagValue root) =>
        "The manifest must be a JSON object with a \"flags\" property, found " + Kind(root) + ".";

    public const string NoFlags = "The manifest has no \"flags\" property: add \"flags\": { } with one entry per flag.";

    public static string FlagsWrongType(FlagValue flags) =>
        "\"flags\" must be an object mapping flag keys to flags (or, in a flagd file, an array of flags with a \"key\"), found " + Kind(flags) + ".";

    public static string EvaluatorsWrongType(FlagValue evaluators) =>
        "\"$evaluators\" must be an object mapping names to targeting rules, found " + Kind(evaluators) + ".";

    public const string EmptyEvaluatorName = "An evaluator of \"$evaluators\" has an empty name; give it a non-empty name.";

    public static string SetMetadataWrongType(FlagValue metadata) =>
        "The flag set's \"metadata\" must be an object, found " + Kind(metadata) + ".";

    // Flag entries and formats.
    public const string EmptyFlagKey = "A flag key is empty; give the flag a non-empty key.";

    public static string FlagNotObject(string key, FlagValue flag) => F("Flag '{0}' must be an object, found {1}.", key, Kind(flag));

    public static string ArrayItemNotObject(int index, FlagValue item) =>
        F("Item {0} of \"flags\" must be a flag object with a \"key\", found {1}.", index, Kind(item));

    public static string ArrayItemNoKey(int index) => F("Item {0} of \"flags\" has no \"key\": add \"key\": \"my-flag\".", index);

    public static string ArrayItemKeyWrongType(int index, FlagValue key) =>
        F("\"key\" of item {0} of \"flags\" must be a string, found {1}.", index, Kind(key));

    public static string DuplicateFlag(string key, TextPosition first) =>
        F("Flag '{0}' is defined twice in this file (first at line {1}, column {2}); remove one of the definitions.", key, first.Line, first.Column);

    public static string UnknownFormat(string key) =>
        F("Flag '{0}' is neither a flagd flag (with \"state\" and \"variants\") nor an OpenFeature CLI flag (with \"flagType\" and \"defaultValue\").", key);

    public static string CliFlagInFlagdFile(string key) =>
        F("Flag '{0}' is written in the OpenFeature CLI format (it has \"flagType\" or \"defaultValue\"), but this file is a flagd file; keep one format per file.", key);

    public static string FlagdFlagInCliFile(string key) =>
        F("Flag '{0}' is written in the flagd format (it has \"state\", \"variants\", \"defaultVariant\" or \"targeting\"), but this file is an OpenFeature CLI manifest; keep one format per file.", key);

    // flagd flags.
    public static string NoState(string key) => F("Flag '{0}' has no \"state\": add \"state\": \"ENABLED\" (or \"DISABLED\").", key);

    public static string InvalidState(string key, FlagValue state) =>
        F("Flag '{0}' has state {1}; state must be \"ENABLED\" or \"DISABLED\".", key, state.ToJson());

    public static string NoVariantsProperty(string key) =>
        F("Flag '{0}' has no \"variants\": add the values it can serve, e.g. \"variants\": {{ \"on\": true, \"off\": false }}.", key);

    public static string VariantsWrongType(string key, FlagValue variants) =>
        F("\"variants\" of flag '{0}' must be an object mapping variant names to values, found {1}.", key, Kind(variants));

    public static string EmptyVariants(string key) =>
        F("Flag '{0}' has no variants: add at least one, e.g. \"variants\": {{ \"on\": true, \"off\": false }}.", key);

    public static string EmptyVariantName(string key) => F("Flag '{0}' has a variant with an empty name; give every variant a non-empty name.", key);

    public static string DuplicateVariant(string key, string name) => F("Flag '{0}' defines variant '{1}' twice; remove one of them.", key, name);

    public static string UnsupportedVariantType(string key, string name, FlagValue value) =>
        F("Variant '{0}' of flag '{1}' is {2}; variant values must be booleans, strings, numbers or objects.", name, key, Kind(value));

    public static string MixedVariantTypes(string key, string firstName, FlagValue first, string name, FlagValue value) =>
        F("Flag '{0}' mixes variant types: '{1}' is {2} but '{3}' is {4}. All variants of a flag must have the same JSON type.", key, firstName, Family(first), name, Family(value));

    public static string NumberOutOfRange(string key, string name, FlagValue value) =>
        F("Variant '{0}' of flag '{1}' is {2}, outside the range flagd allows (-{3} to {3}, the integers a JavaScript number holds exactly).", name, key, value.ToJson(), MaxSafeInteger);

    public static string DefaultVariantWrongType(string key, FlagValue value) =>
        F("\"defaultVariant\" of flag '{0}' must be the name of a variant or null, found {1}.", key, Kind(value));

    public static string UnknownDefaultVariant(string key, string name, IEnumerable<string> variants) =>
        F("Flag '{0}' has defaultVariant '{1}', which is not one of its variants ({2}); name one of them, or write null to use the code default.", key, name, string.Join(", ", variants));

    public static string TargetingWrongType(string key, FlagValue targeting) =>
        F("\"targeting\" of flag '{0}' must be a JSON Logic object, found {1}.", key, Kind(targeting));

    // $evaluators and $ref. The owner is "The targeting of flag 'x'" or "Evaluator 'y'".
    public static string FlagOwner(string key) => F("The targeting of flag '{0}'", key);

    public static string EvaluatorOwner(string name) => F("Evaluator '{0}'", name);

    public static string ReferenceWrongType(string owner, FlagValue reference) =>
        F("{0} has a \"$ref\" that is {1}; \"$ref\" names an entry of \"$evaluators\" as a string.", owner, Kind(reference));

    public static string UnresolvedReference(string owner, string name, ICollection<string> defined) =>
        defined.Count == 0
            ? F("{0} refers to evaluator '{1}', but this file has no \"$evaluators\"; add \"$evaluators\": {{ \"{1}\": {{ ... }} }} or remove the \"$ref\".", owner, name)
            : F("{0} refers to evaluator '{1}', which \"$evaluators\" does not define (it defines {2}).", owner, name, string.Join(", ", defined));

    public static string BrokenReference(string owner, string name, TextPosition error) =>
        F("{0} refers to evaluator '{1}', which has an error (line {2}, column {3}); fix the evaluator.", owner, name, error.Line, error.Column);

    public static string CircularReference(IEnumerable<string> cycle) =>
        F("Evaluators refer to each other in a cycle ({0}); a \"$ref\" cannot lead back to the evaluator it is in.", string.Join(" -> ", cycle));

    public static string ReferencesTooDeep(IEnumerable<string> chain, int limit) =>
        F("Evaluators refer to each other more than {0} levels deep ({1}); use fewer evaluators in between.", limit, string.Join(" -> ", chain));

    public static string ExpandedTooLarge(string owner, long limit) =>
        F("{0} expands to more than {1} JSON values once every \"$ref\" is replaced; refer to fewer evaluators, or to smaller ones.", owner, limit);

    // OpenFeature CLI flags.
    public static string NoFlagType(string key) => F("Flag '{0}' has no \"flagType\": add one of {1}.", key, FlagTypes);

    public static string InvalidFlagType(string key, FlagValue flagType) =>
        F("Flag '{0}' has flagType {1}; flagType must be one of {2}.", key, flagType.ToJson(), FlagTypes);

    public static string NoDefaultValue(string key) =>
        F("Flag '{0}' has no \"defaultValue\": add the value the flag returns when evaluation fails.", key);

    public static string DefaultValueTypeMismatch(string key, FlagType type, FlagValue value) =>
        F("Flag '{0}' has flagType \"{1}\" but its defaultValue is {2}.", key, Name(type), Kind(value));

    public static string DescriptionWrongType(string key, FlagValue description) =>
        F("\"description\" of flag '{0}' must be a string, found {1}.", key, Kind(description));

    public static string SchemaNotObject(string key, string path, FlagValue schema) =>
        F("The value schema of flag '{0}' must be an object at {1}, found {2}.", key, path, Kind(schema));

    public static string SchemaNoType(string key, string path) =>
        F("The value schema of flag '{0}' has no \"type\" at {1}; add one of {2}.", key, path, SchemaTypes);

    public static string SchemaInvalidType(string key, string path, FlagValue type) =>
        F("The value schema of flag '{0}' has type {1} at {2}; type must be one of {3}.", key, type.ToJson(), path, SchemaTypes);

    // Metadata and lifecycle. The owner is "flag 'x'" or "the flag set".
    public static string MetadataOwner(string? key) => key is null ? "the flag set" : F("flag '{0}'", key);

    public static string MetadataWrongType(string key, FlagValue metadata) =>
        F("\"metadata\" of flag '{0}' must be an object, found {1}.", key, Kind(metadata));

    public static string MetadataValueWrongType(string owner, string name, FlagValue value) =>
        F("Metadata '{0}' of {1} is {2}; metadata values must be strings, numbers or booleans.", name, owner, Kind(value));

    public static string ExpiryNotDate(string owner, FlagValue expiry) =>
        F("Metadata 'expiry' of {0} is {1}, which is not a date; write it as \"YYYY-MM-DD\", e.g. \"2026-03-31\".", owner, expiry.ToJson());

    public static string PermanentNotBoolean(string owner, FlagValue permanent) =>
        F("Metadata 'permanent' of {0} is {1}; write true (a kill switch or operational flag that stays) or false.", owner, permanent.ToJson());

    public static string PermanentWithExpiry(string key) =>
        F("Flag '{0}' is permanent but also has an expiry; a permanent flag (a kill switch, an operational flag) does not expire: remove one of the two.", key);

    // Shared wording.
    public static string Article(FlagType type) => type is FlagType.Integer or FlagType.Object ? "an " + Name(type) : "a " + Name(type);

    public static string Name(FlagType type) => type switch
    {
        FlagType.Boolean => "boolean",
        FlagType.String => "string",
        FlagType.Integer => "integer",
        FlagType.Float => "float",
        _ => "object",
    };

    private static string Kind(FlagValue value) => FlagValue.Describe(value.Kind);

    // Integers and floats are one JSON type ("number") when variants are compared.
    private static string Family(FlagValue value) => value.Kind is FlagValueKind.Integer or FlagValueKind.Float ? "a number" : Kind(value);

    private static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
