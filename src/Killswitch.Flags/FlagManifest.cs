using System;
using System.Collections.Generic;
using System.Globalization;
using Killswitch.Flags.Reading;

namespace Killswitch.Flags;

/// <summary>
/// The flags of one or more manifest files (flagd flag definitions or OpenFeature CLI manifests), by key, with every
/// problem found. Reading never throws for a bad manifest: a bad flag is reported and left out, the other flags
/// still load; a file that is not valid JSON is reported once and contributes nothing.
/// </summary>
/// <remarks>
/// Files are read in the order given. A key defined in several files with the same type takes the later definition
/// (as flagd does with several sources); with a different type, the earlier definition stays and the later one is
/// reported (<see cref="ManifestErrorCode.ConflictingFlagType"/>), naming both files.
/// </remarks>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed partial class FlagManifest
{
    private readonly Dictionary<string, FlagDefinition> _byKey;

    private FlagManifest(IReadOnlyList<FlagDefinition> flags, Dictionary<string, FlagDefinition> byKey, IReadOnlyList<ManifestDiagnostic> diagnostics)
    {
        Flags = flags;
        _byKey = byKey;
        Diagnostics = diagnostics;
    }

    /// <summary>A manifest without flags or problems.</summary>
    public static FlagManifest Empty { get; } = new([], new Dictionary<string, FlagDefinition>(StringComparer.Ordinal), []);

    /// <summary>The flags in the order their keys first appeared.</summary>
    public IReadOnlyList<FlagDefinition> Flags { get; }

    /// <summary>Every problem found, in file order, then in text order within a file.</summary>
    public IReadOnlyList<ManifestDiagnostic> Diagnostics { get; }

    /// <summary>Whether any problem was found.</summary>
    public bool HasErrors => Diagnostics.Count > 0;

    /// <summary>Reads one manifest file from its text.</summary>
    /// <param name="path">The path diagnostics name.</param>
    /// <param name="text">The JSON text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="text"/> is null.</exception>
    public static FlagManifest Parse(string path, string text) => Parse(new ManifestFile(path, text));

    /// <summary>Reads several manifest files from their text and merges them (see the remarks on <see cref="FlagManifest"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="files"/> or one of its items is null.</exception>
    public static FlagManifest Parse(params ManifestFile[] files) => Parse((IEnumerable<ManifestFile>)files);

    /// <summary>Reads several manifest files from their text and merges them (see the remarks on <see cref="FlagManifest"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="files"/> or one of its items is null.</exception>
    public static FlagManifest Parse(IEnumerable<ManifestFile> files)
    {
        if (files is null)
        {
            throw new ArgumentNullException(nameof(files));
        }

        var builder = new Builder();
        foreach (var file in files)
        {
            if (file is null)
            {
                throw new ArgumentNullException(nameof(files), "A manifest file is null.");
            }

            builder.Add(file.Path, file.Text);
        }

        return builder.Build();
    }

    /// <summary>Returns the flag with the given key (ordinal), or null.</summary>
    public FlagDefinition? Find(string key)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        return _byKey.TryGetValue(key, out var flag) ? flag : null;
    }

    /// <summary>Merges the files' flags in order, reporting type conflicts.</summary>
    private sealed class Builder
    {
        private readonly List<FlagDefinition> _flags = [];
        // Definitions, not indexes: a dictionary with int values is generic code no precompiled image holds, which the
        // runtime compiled in every build's compiler process when the analyzers read the manifest.
        private readonly Dictionary<string, FlagDefinition> _byKey = new(StringComparer.Ordinal);
        private readonly List<ManifestDiagnostic> _diagnostics = [];

        public void Add(string path, string text) => Merge(ManifestFileReader.Read(path, text, _diagnostics));

        public void AddDiagnostic(ManifestDiagnostic diagnostic) => _diagnostics.Add(diagnostic);

        public FlagManifest Build()
        {
            var byKey = new Dictionary<string, FlagDefinition>(_flags.Count, StringComparer.Ordinal);
            foreach (var flag in _flags)
            {
                byKey[flag.Key] = flag;
            }

            return new FlagManifest(_flags.ToArray(), byKey, _diagnostics.ToArray());
        }

        private void Merge(List<FlagDefinition> flags)
        {
            foreach (var flag in flags)
            {
                if (!_byKey.TryGetValue(flag.Key, out var earlier))
                {
                    _byKey.Add(flag.Key, flag);
                    _flags.Add(flag);
                    continue;
                }

                if (earlier.Type == flag.Type)
                {
                    _flags[_flags.IndexOf(earlier)] = flag;
                    _byKey[flag.Key] = flag;
                    continue;
                }

                _diagnostics.Add(new ManifestDiagnostic(
                    ManifestErrorCode.ConflictingFlagType,
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "Flag '{0}' is {1} flag in {2} but {3} flag in {4} (line {5}, column {6}); a flag has one type in every manifest. The definition in {4} is kept.",
                        flag.Key,
                        ManifestMessages.Article(flag.Type),
                        flag.Location.FilePath,
                        ManifestMessages.Article(earlier.Type),
                        earlier.Location.FilePath,
                        earlier.Location.Line,
                        earlier.Location.Column),
                    flag.Location,
                    flag.Key));
            }
        }
    }
}
