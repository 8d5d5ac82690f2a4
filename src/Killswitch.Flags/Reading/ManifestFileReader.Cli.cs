namespace Killswitch.Flags.Reading;

/// <summary>
/// OpenFeature CLI manifest flags: <c>{"flagType": ..., "defaultValue": ..., "description": ...}</c>. They get
/// variants so the variant matrix covers them: a boolean flag <c>"true"</c>/<c>"false"</c> (the default variant is the
/// one equal to defaultValue), any other flag one variant <c>"default"</c>. A <c>metadata</c> object is read as in
/// flagd (a Killswitch extension: the CLI schema has none) so lifecycle metadata works in both formats.
/// </summary>
internal sealed partial class ManifestFileReader
{
    private FlagDefinition? ReadCliFlag(Entry entry)
    {
        var key = entry.Key;
        var node = entry.Value;

        FlagType? type = null;
        var typeNode = node.FindProperty("flagType");
        if (typeNode is null)
        {
            Report(ManifestErrorCode.MissingProperty, ManifestMessages.NoFlagType(key), entry.Offset, key);
        }
        else
        {
            type = typeNode.Kind == FlagValueKind.String ? ParseFlagType(typeNode.AsString()) : null;
            if (type is null)
            {
                Report(ManifestErrorCode.InvalidFlagType, ManifestMessages.InvalidFlagType(key, typeNode), typeNode.Offset, key);
            }
        }

        FlagValue? defaultValue = null;
        var defaultNode = node.FindProperty("defaultValue");
        if (defaultNode is null)
        {
            Report(ManifestErrorCode.MissingProperty, ManifestMessages.NoDefaultValue(key), entry.Offset, key);
        }
        else if (type is { } knownType)
        {
            defaultValue = Coerce(knownType, defaultNode);
            if (defaultValue is null)
            {
                Report(ManifestErrorCode.DefaultValueTypeMismatch, ManifestMessages.DefaultValueTypeMismatch(key, knownType, defaultNode), defaultNode.Offset, key);
            }
        }

        string? description = null;
        var descriptionNode = node.FindProperty("description");
        if (descriptionNode is not null && descriptionNode.Kind != FlagValueKind.Null)
        {
            if (descriptionNode.Kind == FlagValueKind.String)
            {
                description = descriptionNode.AsString();
            }
            else
            {
                Report(ManifestErrorCode.InvalidStructure, ManifestMessages.DescriptionWrongType(key, descriptionNode), descriptionNode.Offset, key);
            }
        }

        if (type == FlagType.Object && node.FindProperty("schema") is { } schema)
        {
            ValidateValueSchema(key, schema, "schema");
        }

        var metadata = ReadFlagMetadata(key, node.FindProperty("metadata"), entry.Offset);
        if (type is null || defaultValue is null)
        {
            return null;
        }

        FlagVariant[] variants;
        string defaultVariant;
        if (type == FlagType.Boolean)
        {
            variants = [new FlagVariant(FlagDefinition.TrueVariant, FlagValue.True), new FlagVariant(FlagDefinition.FalseVariant, FlagValue.False)];
            defaultVariant = defaultValue.AsBoolean() ? FlagDefinition.TrueVariant : FlagDefinition.FalseVariant;
        }
        else
        {
            variants = [new FlagVariant(FlagDefinition.DefaultVariantName, defaultValue)];
            defaultVariant = FlagDefinition.DefaultVariantName;
        }

        return new FlagDefinition(key, type.Value, variants, defaultVariant, FlagState.Enabled, description, metadata, targeting: null, ManifestFormat.OpenFeatureCli, Location(entry.Offset));
    }

    private static FlagType? ParseFlagType(string name) => name switch
    {
        "boolean" => FlagType.Boolean,
        "string" => FlagType.String,
        "integer" => FlagType.Integer,
        "float" => FlagType.Float,
        "object" => FlagType.Object,
        _ => null,
    };

    /// <summary>
    /// Returns the value as the flag type holds it, or null when it does not fit. As in JSON Schema, an integer is a
    /// valid float and a float without a fraction (<c>2.0</c>) a valid integer; the value is converted so its kind
    /// matches the flag type.
    /// </summary>
    private static FlagValue? Coerce(FlagType type, FlagValue value)
    {
        switch (type)
        {
            case FlagType.Boolean:
                return value.Kind == FlagValueKind.Boolean ? value : null;
            case FlagType.String:
                return value.Kind == FlagValueKind.String ? value : null;
            case FlagType.Integer:
                if (value.Kind == FlagValueKind.Float)
                {
                    var number = value.AsFloat();
                    return number == System.Math.Floor(number) && number >= long.MinValue && number < long.MaxValue
                        ? FlagValue.CreateInteger((long)number, value.Offset)
                        : null;
                }

                return value.Kind == FlagValueKind.Integer ? value : null;
            case FlagType.Float:
                if (value.Kind == FlagValueKind.Integer)
                {
                    return FlagValue.CreateFloat(value.AsInteger(), value.Offset);
                }

                return value.Kind == FlagValueKind.Float ? value : null;
            default:
                return value.Kind == FlagValueKind.Object ? value : null;
        }
    }

    /// <summary>Checks the CLI's JSON Schema subset: every schema has a known <c>type</c>; <c>properties</c> and <c>items</c> are schemas.</summary>
    private void ValidateValueSchema(string key, FlagValue schema, string path)
    {
        if (schema.Kind != FlagValueKind.Object)
        {
            Report(ManifestErrorCode.InvalidValueSchema, ManifestMessages.SchemaNotObject(key, path, schema), schema.Offset, key);
            return;
        }

        var typeNode = schema.FindProperty("type");
        if (typeNode is null)
        {
            Report(ManifestErrorCode.InvalidValueSchema, ManifestMessages.SchemaNoType(key, path), schema.Offset, key);
        }
        else if (typeNode.Kind != FlagValueKind.String
            || typeNode.AsString() is not ("object" or "array" or "string" or "number" or "integer" or "boolean"))
        {
            Report(ManifestErrorCode.InvalidValueSchema, ManifestMessages.SchemaInvalidType(key, path, typeNode), typeNode.Offset, key);
        }

        if (schema.FindProperty("properties") is { Kind: FlagValueKind.Object } properties)
        {
            foreach (var property in properties.AsObject())
            {
                ValidateValueSchema(key, property.Value, path + ".properties." + property.Key);
            }
        }

        if (schema.FindProperty("items") is { } items)
        {
            ValidateValueSchema(key, items, path + ".items");
        }
    }
}
