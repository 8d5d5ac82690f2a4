using System.IO;
using System.Linq;
using System.Text;

namespace Killswitch.Build.IO;

/// <summary>Writes that keep a file's timestamp when its content is unchanged, so CoreCompile stays up to date.</summary>
internal static class FileUtilities
{
    public static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the bytes unless the file already holds exactly them; returns true when it wrote.</summary>
    public static bool WriteIfChanged(string path, byte[] content)
    {
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            if (info.Length == content.Length && File.ReadAllBytes(path).SequenceEqual(content))
            {
                return false;
            }
        }

        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Write beside and move, so a reader (the IDE's analyzer host) never sees half a file.
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        if (File.Exists(path))
        {
            File.Replace(temporary, path, destinationBackupFileName: null);
        }
        else
        {
            File.Move(temporary, path);
        }

        return true;
    }

    public static bool WriteIfChanged(string path, string content) => WriteIfChanged(path, Utf8NoBom.GetBytes(content));
}
