using System;
using System.Collections.Generic;

namespace Killswitch.Flags;

/// <summary>
/// Writes flags as a flagd flag-definition file (<c>https://flagd.dev/schema/v0/flags.json</c>), whatever format they
/// were read from, so a service under test can load them with a flagd provider or flagd itself.
/// </summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
static class FlagdWriter
{
    /// <summary>The <c>$schema</c> written at the top of every file.</summary>
    public const string SchemaUri = "https://flagd.dev/schema/v0/flags.json";

    /// <summary>
    /// Returns the flagd JSON of the flags, in the order given, indented with two spaces and <c>\n</c> line ends. Each flag
    /// is written with its state, variants, default variant (null for the code default), resolved targeting and metadata;
    /// a description that is not already in the metadata is written as <c>metadata.description</c>. Reading the text back
    /// gives the same flags.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="flags"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">Two flags have the same key.</exception>
    public static string Write(IEnumerable<FlagDefinition> flags)
    {
        if (flags is null)
        {
            throw new ArgumentNullException(nameof(flags));
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var written = new List<KeyValuePair<string, FlagValue>>();
        foreach (var flag in flags)
        {
            if (flag is null)
            {
                throw new ArgumentNullException(nameof(flags), "A flag is null.");
            }

            if (!keys.Add(flag.Key))
            {
                throw new ArgumentException($"Flag '{flag.Key}' is given twice; a flagd file defines each key once.", nameof(flags));
            }

            written.Add(new KeyValuePair<string, FlagValue>(flag.Key, ToJson(flag)));
        }

        var root = FlagValue.FromObject(
        [
            new KeyValuePair<string, FlagValue>("$schema", FlagValue.FromString(SchemaUri)),
            new KeyValuePair<string, FlagValue>("flags", FlagValue.FromObject(written)),
        ]);
        return root.ToIndentedJson() + "\n";
    }

    private static FlagValue ToJson(FlagDefinition flag)
    {
        var variants = new List<KeyValuePair<string, FlagValue>>(flag.Variants.Count);
        foreach (var variant in flag.Variants)
        {
            variants.Add(new KeyValuePair<string, FlagValue>(variant.Name, variant.Value));
        }

        var properties = new List<KeyValuePair<string, FlagValue>>
        {
            new("state", FlagValue.FromString(flag.State == FlagState.Enabled ? "ENABLED" : "DISABLED")),
            new("variants", FlagValue.FromObject(variants)),
            new("defaultVariant", flag.DefaultVariant is null ? FlagValue.Null : FlagValue.FromString(flag.DefaultVariant)),
        };
        if (flag.Targeting is not null)
        {
            properties.Add(new KeyValuePair<string, FlagValue>("targeting", flag.Targeting));
        }

        var metadata = new List<KeyValuePair<string, FlagValue>>(flag.Metadata.Values);
        if (flag.Description is not null && !flag.Metadata.Values.ContainsKey(FlagMetadata.DescriptionKey))
        {
            metadata.Add(new KeyValuePair<string, FlagValue>(FlagMetadata.DescriptionKey, FlagValue.FromString(flag.Description)));
        }

        if (metadata.Count > 0)
        {
            properties.Add(new KeyValuePair<string, FlagValue>("metadata", FlagValue.FromObject(metadata)));
        }

        return FlagValue.FromObject(properties);
    }
}
