using System.Diagnostics;

namespace Killswitch.Chaos.Agent;

/// <summary>Runs iptables and tc: the agent's only contact with the kernel besides its proxy's sockets.</summary>
internal static class Shell
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (127, $"{file} is not installed or not on PATH ({ex.Message}).");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
        }
    }

    public static async Task<string> RunCheckedAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var args = arguments.ToArray();
        var (code, output) = await RunAsync(file, args, cancellationToken);
        return code == 0 ? output : throw new AgentException($"'{file} {string.Join(' ', args)}' failed (exit {code}): {output}");
    }
}

/// <summary>An injection step failed; the message says what and why.</summary>
internal sealed class AgentException(string message) : Exception(message);
