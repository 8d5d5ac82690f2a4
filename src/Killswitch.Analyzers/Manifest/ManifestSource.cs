using System;
using System.Collections.Generic;
using System.Threading;
using Killswitch.Flags;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Manifest;

/// <summary>
/// The flag manifest(s) handed to the analyzers as AdditionalFiles (KillswitchKind=FlagManifest from Killswitch.Build,
/// or a file named flags.json, *.flags.json or *.flagd.json), parsed once per compilation.
/// </summary>
internal sealed class ManifestSource
{
    private readonly Dictionary<string, SourceText> _texts;

    private ManifestSource(FlagManifest manifest, Dictionary<string, SourceText> texts)
    {
        Manifest = manifest;
        _texts = texts;
    }

    public FlagManifest Manifest { get; }

    /// <summary>Whether a manifest is among the AdditionalFiles (names and metadata only, nothing read).</summary>
    public static bool Exists(AnalyzerOptions options)
    {
        foreach (var file in options.AdditionalFiles)
        {
            if (IsManifest(file, options.AnalyzerConfigOptionsProvider))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the manifests among the AdditionalFiles; null when there is none.</summary>
    public static ManifestSource? Read(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var files = new List<ManifestFile>();
        var texts = new Dictionary<string, SourceText>(StringComparer.Ordinal);
        foreach (var file in options.AdditionalFiles)
        {
            if (!IsManifest(file, options.AnalyzerConfigOptionsProvider))
            {
                continue;
            }

            var text = file.GetText(cancellationToken);
            if (text is null)
            {
                continue;
            }

            texts[file.Path] = text;
            files.Add(new ManifestFile(file.Path, text.ToString()));
        }

        return files.Count == 0 ? null : new ManifestSource(FlagManifest.Parse(files), texts);
    }

    /// <summary>The Roslyn location of a place in a manifest file (a one-character span, or the file if unknown).</summary>
    public Location LocationOf(SourceLocation location)
    {
        if (!_texts.TryGetValue(location.FilePath, out var text) || location.Line < 1 || location.Line > text.Lines.Count)
        {
            return Location.Create(location.FilePath, default, default);
        }

        var line = text.Lines[location.Line - 1];
        var start = Math.Min(line.Start + Math.Max(location.Column - 1, 0), line.End);
        var span = new TextSpan(start, start < line.End ? 1 : 0);
        return Location.Create(location.FilePath, span, text.Lines.GetLinePositionSpan(span));
    }

    /// <summary>"flags.json(3,5)": how messages point at a place in the manifest.</summary>
    public static string Describe(SourceLocation location) =>
        System.IO.Path.GetFileName(location.FilePath) + "(" + location.Line + "," + location.Column + ")";

    private static bool IsManifest(AdditionalText file, AnalyzerConfigOptionsProvider provider)
    {
        if (provider.GetOptions(file).TryGetValue(Rules.UnguardedNewCodeAnalyzer.KindMetadata, out var kind) && kind.Length > 0)
        {
            return kind == "FlagManifest";
        }

        var name = System.IO.Path.GetFileName(file.Path);
        return name.Equals("flags.json", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".flags.json", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".flagd.json", StringComparison.OrdinalIgnoreCase);
    }
}
