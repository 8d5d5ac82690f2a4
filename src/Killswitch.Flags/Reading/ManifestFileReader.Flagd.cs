using System.Collections.Generic;
using System.Linq;

namespace Killswitch.Flags.Reading;

internal sealed partial class ManifestFileReader
{
    private FlagDefinition? ReadFlagdFlag(Entry entry)
    {
        var key = entry.Key;
        var node = entry.Value;

        var state = FlagState.Enabled;
        var stateNode = node.FindProperty("state");
        if (stateNode is null)
        {
            Report(ManifestErrorCode.MissingProperty, ManifestMessages.NoState(key), entry.Offset, key);
        }
        else if (stateNode.Kind == FlagValueKind.String && stateNode.AsString() == "ENABLED")
        {
            state = FlagState.Enabled;
        }
        else if (stateNode.Kind == FlagValueKind.String && stateNode.AsString() == "DISABLED")
        {
            state = FlagState.Disabled;
        }
        else
        {
            Report(ManifestErrorCode.InvalidState, ManifestMessages.InvalidState(key, stateNode), stateNode.Offset, key);
        }

        var variants = ReadVariants(entry, out var type);

        string? defaultVariant = null;
        var defaultNode = node.FindProperty("defaultVariant");
        if (defaultNode is not null && defaultNode.Kind != FlagValueKind.Null)
        {
            if (defaultNode.Kind != FlagValueKind.String)
            {
                Report(ManifestErrorCode.InvalidStructure, ManifestMessages.DefaultVariantWrongType(key, defaultNode), defaultNode.Offset, key);
            }
            else
            {
                defaultVariant = defaultNode.AsString();
                if (variants is not null && !variants.Any(v => v.Name == defaultVariant))
                {
                    Report(ManifestErrorCode.UnknownDefaultVariant, ManifestMessages.UnknownDefaultVariant(key, defaultVariant, variants.Select(v => v.Name)), defaultNode.Offset, key);
                }
            }
        }

        FlagValue? targeting = null;
        var targetingNode = node.FindProperty("targeting");
        if (targetingNode is not null && targetingNode.Kind != FlagValueKind.Null)
        {
            if (targetingNode.Kind != FlagValueKind.Object)
            {
                Report(ManifestErrorCode.InvalidStructure, ManifestMessages.TargetingWrongType(key, targetingNode), targetingNode.Offset, key);
            }
            else if (targetingNode.AsObject().Count > 0)
            {
                // flagd treats "targeting": {} as no targeting (the flag is static).
                targeting = Resolve(targetingNode, ManifestMessages.FlagOwner(key), key, out _);
            }
        }

        var metadataNode = node.FindProperty("metadata");
        var metadata = ReadFlagMetadata(key, metadataNode, entry.Offset);
        var description = metadataNode?.FindProperty(FlagMetadata.DescriptionKey) is { Kind: FlagValueKind.String } text ? text.AsString() : null;

        return variants is null
            ? null
            : new FlagDefinition(key, type, variants, defaultVariant, state, description, metadata, targeting, ManifestFormat.Flagd, Location(entry.Offset));
    }

    private FlagVariant[]? ReadVariants(Entry entry, out FlagType type)
    {
        var key = entry.Key;
        type = FlagType.Boolean;
        var variantsNode = entry.Value.FindProperty("variants");
        if (variantsNode is null)
        {
            Report(ManifestErrorCode.MissingProperty, ManifestMessages.NoVariantsProperty(key), entry.Offset, key);
            return null;
        }

        if (variantsNode.Kind != FlagValueKind.Object)
        {
            Report(ManifestErrorCode.InvalidStructure, ManifestMessages.VariantsWrongType(key, variantsNode), variantsNode.Offset, key);
            return null;
        }

        var properties = variantsNode.AsObject();
        if (properties.Count == 0)
        {
            Report(ManifestErrorCode.NoVariants, ManifestMessages.EmptyVariants(key), variantsNode.Offset, key);
            return null;
        }

        var keyOffsets = variantsNode.KeyOffsets!;
        var variants = new FlagVariant[properties.Count];
        var names = new HashSet<string>();
        string? firstName = null;
        FlagValue? first = null;
        var anyFloat = false;
        var ok = true;
        for (var i = 0; i < properties.Count; i++)
        {
            var name = properties[i].Key;
            var value = properties[i].Value;
            if (name.Length == 0)
            {
                Report(ManifestErrorCode.EmptyName, ManifestMessages.EmptyVariantName(key), keyOffsets[i], key);
                ok = false;
                continue;
            }

            if (!names.Add(name))
            {
                Report(ManifestErrorCode.DuplicateName, ManifestMessages.DuplicateVariant(key, name), keyOffsets[i], key);
                ok = false;
                continue;
            }

            if (value.Kind is FlagValueKind.Null or FlagValueKind.Array)
            {
                Report(ManifestErrorCode.UnsupportedVariantType, ManifestMessages.UnsupportedVariantType(key, name, value), value.Offset, key);
                ok = false;
                continue;
            }

            if (first is null)
            {
                first = value;
                firstName = name;
            }
            else if (Family(value.Kind) != Family(first.Kind))
            {
                // One report per flag: the first variant that differs from the first variant.
                if (ok)
                {
                    Report(ManifestErrorCode.MixedVariantTypes, ManifestMessages.MixedVariantTypes(key, firstName!, first, name, value), value.Offset, key);
                }

                ok = false;
                continue;
            }

            if ((value.Kind == FlagValueKind.Integer && (value.AsInteger() > ManifestMessages.MaxSafeInteger || value.AsInteger() < -ManifestMessages.MaxSafeInteger))
                || (value.Kind == FlagValueKind.Float && (value.AsFloat() > ManifestMessages.MaxSafeInteger || value.AsFloat() < -ManifestMessages.MaxSafeInteger)))
            {
                Report(ManifestErrorCode.NumberOutOfRange, ManifestMessages.NumberOutOfRange(key, name, value), value.Offset, key);
                ok = false;
                continue;
            }

            anyFloat |= value.Kind == FlagValueKind.Float;
            variants[i] = new FlagVariant(name, value);
        }

        if (!ok)
        {
            return null;
        }

        type = first!.Kind switch
        {
            FlagValueKind.Boolean => FlagType.Boolean,
            FlagValueKind.String => FlagType.String,
            FlagValueKind.Object => FlagType.Object,
            _ => anyFloat ? FlagType.Float : FlagType.Integer,
        };

        if (type == FlagType.Float)
        {
            // flagd has one number type; a flag with any fractional variant is a float flag, all its values floats.
            for (var i = 0; i < variants.Length; i++)
            {
                var value = variants[i].Value;
                if (value.Kind == FlagValueKind.Integer)
                {
                    variants[i] = new FlagVariant(variants[i].Name, FlagValue.CreateFloat(value.AsInteger(), value.Offset));
                }
            }
        }

        return variants;
    }

    private static FlagValueKind Family(FlagValueKind kind) => kind == FlagValueKind.Float ? FlagValueKind.Integer : kind;
}
