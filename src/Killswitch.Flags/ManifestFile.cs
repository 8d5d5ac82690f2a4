using System;

namespace Killswitch.Flags;

/// <summary>One manifest file to read: the path it is reported under, and its text.</summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed class ManifestFile
{
    /// <summary>Creates a manifest file from a path and the text read from it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="text"/> is null.</exception>
    public ManifestFile(string path, string text)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Text = text ?? throw new ArgumentNullException(nameof(text));
    }

    /// <summary>The path diagnostics and <see cref="FlagDefinition.Location"/> name.</summary>
    public string Path { get; }

    /// <summary>The JSON text.</summary>
    public string Text { get; }
}
