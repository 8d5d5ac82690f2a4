using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Killswitch.Chaos.Local;

/// <summary>SIGTERM for graceful kills. Process.Kill only sends SIGKILL; a graceful PodKill needs SIGTERM as the kubelet sends.</summary>
internal static partial class UnixSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM on Unix; on Windows there is no equivalent for a console app, so the process is killed.</summary>
    public static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        // ESRCH (already gone) is fine: the caller waits for the exit either way.
        _ = Kill(process.Id, SigTerm);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
