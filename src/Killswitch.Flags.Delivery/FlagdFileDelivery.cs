using Killswitch.Flags.Matrix;

namespace Killswitch.Flags.Delivery;

/// <summary>
/// Delivers an assignment as a flagd flag-definition file, for services that run flagd (or an in-process flagd
/// provider) with file sync: every flag of the manifest, those of the assignment pinned to their selected variant
/// (<see cref="FlagDefinition.WithServedVariant"/>: that variant is the default, targeting removed, enabled).
/// The file is replaced atomically (written beside it, then renamed over it), so flagd's file watcher never reads half a file.
/// </summary>
public static class FlagdFileDelivery
{
    /// <summary>Returns the flagd JSON that delivers <paramref name="assignment"/> (null: every flag as the manifest defines it).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> is null.</exception>
    /// <exception cref="ArgumentException">The assignment names a flag or variant the manifest does not have.</exception>
    public static string Render(FlagManifest manifest, VariantAssignment? assignment) =>
        FlagdWriter.Write(ServedFlag.Resolve(manifest, assignment).Select(f => f.Served));

    /// <summary>Writes the flagd file of <paramref name="assignment"/> to <paramref name="path"/>, replacing it atomically.</summary>
    /// <exception cref="ArgumentException">The assignment names a flag or variant the manifest does not have, or the path is empty.</exception>
    public static async Task WriteAsync(FlagManifest manifest, VariantAssignment? assignment, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = Render(manifest, assignment);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);

        // Same directory, so the rename stays on one file system and is atomic; a dot name, so a watcher globbing *.json skips it.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, text, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
