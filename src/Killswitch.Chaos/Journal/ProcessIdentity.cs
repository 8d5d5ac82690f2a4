using System.Diagnostics;
using System.Globalization;

namespace Killswitch.Chaos;

/// <summary>
/// A process told apart from any later process that reuses its PID: the PID plus a start token (on Linux the start time
/// in clock ticks since boot from <c>/proc/&lt;pid&gt;/stat</c>, exact; elsewhere the start time to the second).
/// </summary>
/// <param name="Pid">The process id.</param>
/// <param name="StartToken">When it started, in a form that is stable for the life of the process.</param>
public sealed record ProcessIdentity(int Pid, string StartToken)
{
    /// <summary>The current process.</summary>
    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId) ?? new ProcessIdentity(Environment.ProcessId, "unknown");

    /// <summary>The identity of the live process <paramref name="pid"/>, or <see langword="null"/> when there is none.</summary>
    public static ProcessIdentity? Of(int pid)
    {
        var token = StartTokenOf(pid);
        return token is null ? null : new ProcessIdentity(pid, token);
    }

    /// <summary>Whether this very process still runs (not merely some process with the same PID). Zombies count as dead.</summary>
    public bool IsAlive() => StartTokenOf(Pid) == StartToken;

    private static string? StartTokenOf(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // Fields after the command name, which is in parentheses and may itself contain spaces or ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // fields[0] is field 3 (state); starttime is field 22. A zombie (Z) has exited: treat it as gone.
                return fields[0] == "Z" || fields[0] == "X" ? null : "linux:" + fields[19];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
            {
                return null;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : "start:" + (process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
