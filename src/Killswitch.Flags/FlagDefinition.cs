using System;
using System.Collections.Generic;
using System.Linq;

namespace Killswitch.Flags;

/// <summary>
/// One flag of the manifest, the same whichever format it came from. An OpenFeature CLI flag gets variants too: a
/// boolean flag <c>"true"</c>/<c>"false"</c>, any other flag one variant <c>"default"</c> holding its defaultValue.
/// </summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed class FlagDefinition
{
    /// <summary>The variant names an OpenFeature CLI boolean flag gets.</summary>
    public const string TrueVariant = "true";

    /// <summary>The variant names an OpenFeature CLI boolean flag gets.</summary>
    public const string FalseVariant = "false";

    /// <summary>The variant name any other OpenFeature CLI flag gets.</summary>
    public const string DefaultVariantName = "default";

    internal FlagDefinition(
        string key,
        FlagType type,
        IReadOnlyList<FlagVariant> variants,
        string? defaultVariant,
        FlagState state,
        string? description,
        FlagMetadata metadata,
        FlagValue? targeting,
        ManifestFormat format,
        SourceLocation location)
    {
        Key = key;
        Type = type;
        Variants = variants;
        DefaultVariant = defaultVariant;
        State = state;
        Description = description;
        Metadata = metadata;
        Targeting = targeting;
        Format = format;
        Location = location;
    }

    /// <summary>The flag key code passes to OpenFeature.</summary>
    public string Key { get; }

    /// <summary>The flag's type: which OpenFeature resolver serves it.</summary>
    public FlagType Type { get; }

    /// <summary>The variants in file order; never empty. Each value's kind matches <see cref="Type"/> (integers of a float flag are read as floats).</summary>
    public IReadOnlyList<FlagVariant> Variants { get; }

    /// <summary>
    /// The variant served when no targeting applies, or null: flagd's <c>"defaultVariant": null</c> (or none) means
    /// "the caller's code default".
    /// </summary>
    public string? DefaultVariant { get; }

    /// <summary>The value of <see cref="DefaultVariant"/>, or null when the code default applies.</summary>
    public FlagValue? DefaultValue => DefaultVariant is null ? null : FindVariant(DefaultVariant)?.Value;

    /// <summary><see cref="FlagState.Disabled"/>: flagd behaves as if the flag did not exist. OpenFeature CLI flags are enabled.</summary>
    public FlagState State { get; }

    /// <summary>The CLI manifest's <c>description</c>, or a flagd flag's <c>metadata.description</c>; null when there is none.</summary>
    public string? Description { get; }

    /// <summary>The metadata, with the lifecycle entries read out.</summary>
    public FlagMetadata Metadata { get; }

    /// <summary>
    /// The targeting rule (JSON Logic) with every <c>{"$ref": "name"}</c> replaced by the named evaluator, or null when
    /// the flag has none (an empty <c>{}</c> counts as none, as in flagd).
    /// </summary>
    public FlagValue? Targeting { get; }

    /// <summary>Whether the flag has a targeting rule, i.e. can serve different variants to different callers.</summary>
    public bool HasTargeting => Targeting is not null;

    /// <summary>The format of the file the flag was read from.</summary>
    public ManifestFormat Format { get; }

    /// <summary>Where the flag is defined: its key in a <c>flags</c> object, or its object in a <c>flags</c> array.</summary>
    public SourceLocation Location { get; }

    /// <summary>Returns the variant with the given name (ordinal), or null.</summary>
    public FlagVariant? FindVariant(string name)
    {
        foreach (var variant in Variants)
        {
            if (string.Equals(variant.Name, name, StringComparison.Ordinal))
            {
                return variant;
            }
        }

        return null;
    }

    /// <summary>
    /// Returns a copy that serves <paramref name="variantName"/> to every evaluation: that variant becomes the default,
    /// targeting is removed, and the flag is enabled. This is how a test pins one variant of the variant matrix
    /// (write the copies with <see cref="FlagdWriter"/>, or serve them over OFREP).
    /// </summary>
    /// <exception cref="ArgumentException">The flag has no variant of that name.</exception>
    public FlagDefinition WithServedVariant(string variantName)
    {
        if (FindVariant(variantName) is null)
        {
            throw new ArgumentException(
                $"Flag '{Key}' has no variant '{variantName}'; its variants are {string.Join(", ", Variants.Select(v => v.Name))}.",
                nameof(variantName));
        }

        return new FlagDefinition(Key, Type, Variants, variantName, FlagState.Enabled, Description, Metadata, targeting: null, Format, Location);
    }

    /// <summary>Returns the key, type and variants, e.g. <c>new-checkout (Boolean: on=true, off=false; default on)</c>.</summary>
    public override string ToString() =>
        $"{Key} ({Type}: {string.Join(", ", Variants.Select(v => v.ToString()))}; default {DefaultVariant ?? "from code"})";
}
