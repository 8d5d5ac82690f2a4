#if !KILLSWITCH_FLAGS_INTERNAL
// File access is banned in analyzers (RS1035), so this convenience is left out when the sources are compiled in.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Killswitch.Flags;

public sealed partial class FlagManifest
{
    /// <summary>
    /// Reads manifest files from disk (UTF-8, with or without a byte order mark) and merges them in the order given. A
    /// file that cannot be read is reported (<see cref="ManifestErrorCode.UnreadableFile"/>) and the others still load.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> or one of its items is null.</exception>
    public static FlagManifest Load(params string[] paths) => Load((IEnumerable<string>)paths);

    /// <inheritdoc cref="Load(string[])" />
    public static FlagManifest Load(IEnumerable<string> paths)
    {
        if (paths is null)
        {
            throw new ArgumentNullException(nameof(paths));
        }

        var builder = new Builder();
        foreach (var path in paths)
        {
            if (path is null)
            {
                throw new ArgumentNullException(nameof(paths), "A manifest path is null.");
            }

            string text;
            try
            {
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                builder.AddDiagnostic(new ManifestDiagnostic(
                    ManifestErrorCode.UnreadableFile,
                    "Could not read the manifest: " + exception.Message,
                    new SourceLocation(path, 1, 1),
                    flagKey: null));
                continue;
            }

            builder.Add(path, text);
        }

        return builder.Build();
    }
}
#endif
