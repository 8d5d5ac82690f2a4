using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Killswitch.Build.IO;

/// <summary>Paths in the form the analyzer matches on: full, with '/' separators.</summary>
internal static class PathUtilities
{
    /// <summary>Windows and macOS file systems ignore case by default; Linux does not.</summary>
    public static readonly StringComparer Comparer =
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    public static readonly StringComparison Comparison =
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    public static string Normalize(string path) => path.Replace('\\', '/');

    public static string NormalizeDirectory(string path)
    {
        var full = Normalize(Path.GetFullPath(path));
        return full.EndsWith("/", StringComparison.Ordinal) ? full : full + "/";
    }

    public static bool IsUnder(string normalizedPath, string normalizedDirectory) =>
        normalizedPath.StartsWith(normalizedDirectory, Comparison);

    /// <summary>A path relative to a directory, with '/' separators ("../Shared/X.cs" when outside it).</summary>
    public static string GetRelativePath(string normalizedDirectory, string normalizedPath)
    {
        if (IsUnder(normalizedPath, normalizedDirectory))
        {
            return normalizedPath.Substring(normalizedDirectory.Length);
        }

        var from = new Uri(normalizedDirectory.StartsWith("/", StringComparison.Ordinal) ? "file://" + normalizedDirectory : "file:///" + normalizedDirectory);
        var to = new Uri(normalizedPath.StartsWith("/", StringComparison.Ordinal) ? "file://" + normalizedPath : "file:///" + normalizedPath);
        return Uri.UnescapeDataString(from.MakeRelativeUri(to).ToString());
    }
}
