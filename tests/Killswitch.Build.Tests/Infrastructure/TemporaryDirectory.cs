using System;
using System.IO;

namespace Killswitch.Build.Tests.Infrastructure;

/// <summary>A directory under the system temp folder, deleted on dispose; named with a run id so leftovers are recognisable.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "killswitch-tests", purpose + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            DeleteDirectory(Path);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is swept by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void DeleteDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        // Git makes its object files read-only.
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(path, recursive: true);
    }
}
