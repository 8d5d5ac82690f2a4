using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Killswitch.Flags.Json;

namespace Killswitch.Flags.Reading;

/// <summary>
/// Reads one manifest file into flag definitions. The format is decided once per file: a flags array or
/// <c>$evaluators</c> make it flagd; otherwise the first flag that says which format it is decides (<c>flagType</c> or
/// <c>defaultValue</c>: OpenFeature CLI; <c>state</c>, <c>variants</c>, <c>defaultVariant</c> or <c>targeting</c>: flagd).
/// A flag with any problem is reported and skipped; the other flags are kept.
/// </summary>
internal sealed partial class ManifestFileReader
{
    private static readonly string[] NoNames = [];

    private readonly string _path;
    private readonly JsonDocument _document;
    private readonly List<ManifestDiagnostic> _diagnostics;
    private readonly List<FlagDefinition> _flags = [];
    private readonly Dictionary<string, Evaluator> _evaluators = new(StringComparer.Ordinal);
    private readonly List<string> _resolving = [];
    private Dictionary<string, FlagValue>? _setMetadata;

    private ManifestFileReader(string path, JsonDocument document, List<ManifestDiagnostic> diagnostics)
    {
        _path = path;
        _document = document;
        _diagnostics = diagnostics;
    }

    /// <summary>Reads a file, adding its problems to <paramref name="diagnostics"/> in text order.</summary>
    public static List<FlagDefinition> Read(string path, string text, List<ManifestDiagnostic> diagnostics)
    {
        var reader = new ManifestFileReader(path, JsonDocument.Parse(text), diagnostics);
        var first = diagnostics.Count;
        reader.ReadFile();
        if (diagnostics.Count - first > 1)
        {
            // Evaluators and the flag set's metadata are checked before the flags; report in the order of the text.
            var sorted = diagnostics.Skip(first).OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToList();
            diagnostics.RemoveRange(first, sorted.Count);
            diagnostics.AddRange(sorted);
        }

        return reader._flags;
    }

    private void ReadFile()
    {
        if (_document.Error is { } error)
        {
            Report(ManifestErrorCode.InvalidJson, error.Message, error.Offset, flagKey: null);
            return;
        }

        var root = _document.Root!;
        if (root.Kind != FlagValueKind.Object)
        {
            Report(ManifestErrorCode.InvalidStructure, ManifestMessages.RootNotObject(root), root.Offset, flagKey: null);
            return;
        }

        var flagsNode = root.FindProperty("flags");
        if (flagsNode is null)
        {
            Report(ManifestErrorCode.MissingProperty, ManifestMessages.NoFlags, root.Offset, flagKey: null);
            return;
        }

        ManifestFormat? fileFormat = null;
        List<Entry> entries;
        if (flagsNode.Kind == FlagValueKind.Object)
        {
            entries = CollectMapEntries(flagsNode);
        }
        else if (flagsNode.Kind == FlagValueKind.Array)
        {
            // Only flagd (not the CLI manifest) has the array form, flagd's "flagdImport" definition.
            fileFormat = ManifestFormat.Flagd;
            entries = CollectArrayEntries(flagsNode);
        }
        else
        {
            Report(ManifestErrorCode.InvalidStructure, ManifestMessages.FlagsWrongType(flagsNode), flagsNode.Offset, flagKey: null);
            return;
        }

        if (root.FindProperty("$evaluators") is { } evaluators)
        {
            fileFormat = ManifestFormat.Flagd;
            CollectEvaluators(evaluators);
        }

        if (root.FindProperty("metadata") is { } setMetadata)
        {
            ReadSetMetadata(setMetadata);
        }

        if (fileFormat is null)
        {
            foreach (var entry in entries)
            {
                if (Classify(entry.Value) is { } format)
                {
                    fileFormat = format;
                    break;
                }
            }
        }

        ResolveEvaluators();
        foreach (var entry in entries)
        {
            ReadEntry(entry, fileFormat);
        }
    }

    private List<Entry> CollectMapEntries(FlagValue flagsNode)
    {
        var properties = flagsNode.AsObject();
        var keyOffsets = flagsNode.KeyOffsets!;
        var entries = new List<Entry>(properties.Count);
        var seen = new Dictionary<string, Entry>(properties.Count, StringComparer.Ordinal);
        for (var i = 0; i < properties.Count; i++)
        {
            var key = properties[i].Key;
            if (key.Length == 0)
            {
                Report(ManifestErrorCode.EmptyName, ManifestMessages.EmptyFlagKey, keyOffsets[i], flagKey: null);
                continue;
            }

            if (seen.TryGetValue(key, out var first))
            {
                Report(ManifestErrorCode.DuplicateName, ManifestMessages.DuplicateFlag(key, _document.GetPosition(first.Offset)), keyOffsets[i], key);
                continue;
            }

            var entry = new Entry(key, keyOffsets[i], properties[i].Value);
            seen.Add(key, entry);
            entries.Add(entry);
        }

        return entries;
    }

    private List<Entry> CollectArrayEntries(FlagValue flagsNode)
    {
        var items = flagsNode.AsArray();
        var entries = new List<Entry>(items.Count);
        var seen = new Dictionary<string, Entry>(items.Count, StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Kind != FlagValueKind.Object)
            {
                Report(ManifestErrorCode.InvalidStructure, ManifestMessages.ArrayItemNotObject(i, item), item.Offset, flagKey: null);
                continue;
            }

            var keyNode = item.FindProperty("key");
            if (keyNode is null)
            {
                Report(ManifestErrorCode.MissingProperty, ManifestMessages.ArrayItemNoKey(i), item.Offset, flagKey: null);
                continue;
            }

            if (keyNode.Kind != FlagValueKind.String)
            {
                Report(ManifestErrorCode.InvalidStructure, ManifestMessages.ArrayItemKeyWrongType(i, keyNode), keyNode.Offset, flagKey: null);
                continue;
            }

            var key = keyNode.AsString();
            if (key.Length == 0)
            {
                Report(ManifestErrorCode.EmptyName, ManifestMessages.EmptyFlagKey, keyNode.Offset, flagKey: null);
                continue;
            }

            if (seen.TryGetValue(key, out var first))
            {
                Report(ManifestErrorCode.DuplicateName, ManifestMessages.DuplicateFlag(key, _document.GetPosition(first.Offset)), item.Offset, key);
                continue;
            }

            var entry = new Entry(key, item.Offset, item);
            seen.Add(key, entry);
            entries.Add(entry);
        }

        return entries;
    }

    private static ManifestFormat? Classify(FlagValue flag)
    {
        if (flag.Kind != FlagValueKind.Object)
        {
            return null;
        }

        if (flag.FindProperty("flagType") is not null)
        {
            return ManifestFormat.OpenFeatureCli;
        }

        if (flag.FindProperty("state") is not null
            || flag.FindProperty("variants") is not null
            || flag.FindProperty("defaultVariant") is not null
            || flag.FindProperty("targeting") is not null)
        {
            return ManifestFormat.Flagd;
        }

        return flag.FindProperty("defaultValue") is not null ? ManifestFormat.OpenFeatureCli : null;
    }

    private void ReadEntry(Entry entry, ManifestFormat? fileFormat)
    {
        if (entry.Value.Kind != FlagValueKind.Object)
        {
            Report(ManifestErrorCode.InvalidStructure, ManifestMessages.FlagNotObject(entry.Key, entry.Value), entry.Value.Offset, entry.Key);
            return;
        }

        if (fileFormat is null)
        {
            Report(ManifestErrorCode.UnknownFormat, ManifestMessages.UnknownFormat(entry.Key), entry.Offset, entry.Key);
            return;
        }

        var format = Classify(entry.Value);
        if (format is not null && format != fileFormat)
        {
            var message = fileFormat == ManifestFormat.Flagd
                ? ManifestMessages.CliFlagInFlagdFile(entry.Key)
                : ManifestMessages.FlagdFlagInCliFile(entry.Key);
            Report(ManifestErrorCode.MixedFormats, message, entry.Offset, entry.Key);
            return;
        }

        var errors = _diagnostics.Count;
        var flag = fileFormat == ManifestFormat.Flagd ? ReadFlagdFlag(entry) : ReadCliFlag(entry);
        if (_diagnostics.Count == errors)
        {
            _flags.Add(flag!);
        }
    }

    private Dictionary<string, FlagValue>? ReadMetadataValues(FlagValue metadata, string? flagKey)
    {
        var owner = ManifestMessages.MetadataOwner(flagKey);
        var values = _setMetadata is null
            ? new Dictionary<string, FlagValue>(StringComparer.Ordinal)
            : new Dictionary<string, FlagValue>(_setMetadata, StringComparer.Ordinal);
        var ok = true;
        foreach (var property in metadata.AsObject())
        {
            var value = property.Value;
            if (value.Kind is FlagValueKind.String or FlagValueKind.Integer or FlagValueKind.Float or FlagValueKind.Boolean)
            {
                values[property.Key] = value;
                continue;
            }

            Report(ManifestErrorCode.InvalidMetadata, ManifestMessages.MetadataValueWrongType(owner, property.Key, value), value.Offset, flagKey);
            ok = false;
        }

        return ok ? values : null;
    }

    private void ReadSetMetadata(FlagValue metadata)
    {
        if (metadata.Kind != FlagValueKind.Object)
        {
            Report(ManifestErrorCode.InvalidStructure, ManifestMessages.SetMetadataWrongType(metadata), metadata.Offset, flagKey: null);
            return;
        }

        // A bad entry of the flag set is reported once, here, and left out of every flag's metadata.
        var values = new Dictionary<string, FlagValue>(StringComparer.Ordinal);
        foreach (var property in metadata.AsObject())
        {
            var single = FlagValue.CreateObject([property], metadata.Offset, keyOffsets: null);
            if (ReadMetadataValues(single, flagKey: null) is { } valid && ReadLifecycle(valid, flagKey: null, metadata.Offset, out _, out _))
            {
                values[property.Key] = property.Value;
            }
        }

        _setMetadata = values;
    }

    /// <summary>Reads a flag's metadata, merged over the flag set's, with the lifecycle entries checked.</summary>
    private FlagMetadata ReadFlagMetadata(string key, FlagValue? metadata, int flagOffset)
    {
        Dictionary<string, FlagValue>? values;
        if (metadata is null)
        {
            if (_setMetadata is null || _setMetadata.Count == 0)
            {
                return FlagMetadata.Empty;
            }

            values = new Dictionary<string, FlagValue>(_setMetadata, StringComparer.Ordinal);
        }
        else if (metadata.Kind != FlagValueKind.Object)
        {
            Report(ManifestErrorCode.InvalidStructure, ManifestMessages.MetadataWrongType(key, metadata), metadata.Offset, key);
            return FlagMetadata.Empty;
        }
        else
        {
            values = ReadMetadataValues(metadata, key);
            if (values is null)
            {
                return FlagMetadata.Empty;
            }
        }

        return ReadLifecycle(values, key, flagOffset, out var expiry, out var permanent)
            ? new FlagMetadata(values, expiry, permanent)
            : FlagMetadata.Empty;
    }

    private bool ReadLifecycle(Dictionary<string, FlagValue> values, string? flagKey, int flagOffset, out DateTime? expiry, out bool permanent)
    {
        var owner = ManifestMessages.MetadataOwner(flagKey);
        var ok = true;
        expiry = null;
        permanent = false;
        if (values.TryGetValue(FlagMetadata.ExpiryKey, out var expiryValue))
        {
            if (expiryValue.Kind == FlagValueKind.String
                && DateTime.TryParseExact(expiryValue.AsString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                expiry = date;
            }
            else
            {
                Report(ManifestErrorCode.InvalidMetadata, ManifestMessages.ExpiryNotDate(owner, expiryValue), expiryValue.Offset, flagKey);
                ok = false;
            }
        }

        if (values.TryGetValue(FlagMetadata.PermanentKey, out var permanentValue))
        {
            if (permanentValue.Kind == FlagValueKind.Boolean)
            {
                permanent = permanentValue.AsBoolean();
            }
            else
            {
                Report(ManifestErrorCode.InvalidMetadata, ManifestMessages.PermanentNotBoolean(owner, permanentValue), permanentValue.Offset, flagKey);
                ok = false;
            }
        }

        if (ok && flagKey is not null && permanent && expiry is not null)
        {
            Report(ManifestErrorCode.InvalidMetadata, ManifestMessages.PermanentWithExpiry(flagKey), flagOffset, flagKey);
            ok = false;
        }

        return ok;
    }

    private void Report(ManifestErrorCode code, string message, int offset, string? flagKey) =>
        _diagnostics.Add(new ManifestDiagnostic(code, message, Location(offset), flagKey));

    private SourceLocation Location(int offset)
    {
        var position = _document.GetPosition(offset);
        return new SourceLocation(_path, position.Line, position.Column);
    }

    /// <summary>A flag as found in the file: its key, where it starts (its key, or its object in a flags array), and its value.
    /// A class: a list of a struct of this library is generic code no precompiled image holds, which the runtime compiled
    /// in every build's compiler process when the analyzers read the manifest.</summary>
    private sealed class Entry
    {
        public Entry(string key, int offset, FlagValue value)
        {
            Key = key;
            Offset = offset;
            Value = value;
        }

        public string Key { get; }

        public int Offset { get; }

        public FlagValue Value { get; }
    }
}
