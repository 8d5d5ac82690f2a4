using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Killswitch.Build.Git;

/// <summary>
/// Runs git as a child process: no shell, no credential prompt, no optional locks (a build must never hold
/// <c>index.lock</c> while the developer commits), messages in English so they can be recognised.
/// </summary>
internal sealed class GitRunner
{
    private readonly TimeSpan _timeout;
    private int _invocationCount;

    public GitRunner(string gitPath, string workingDirectory, TimeSpan timeout)
    {
        GitPath = gitPath;
        WorkingDirectory = workingDirectory;
        _timeout = timeout;
    }

    public string GitPath { get; }

    public string WorkingDirectory { get; }

    /// <summary>How many git processes this runner started (tests and the benchmark read it).</summary>
    public int InvocationCount => Volatile.Read(ref _invocationCount);

    /// <exception cref="GitNotFoundException">The executable could not be started.</exception>
    /// <exception cref="GitTimeoutException">The command ran longer than the timeout.</exception>
    public async Task<GitResult> RunAsync(IReadOnlyList<string> arguments, byte[]? standardInput = null, CancellationToken cancellationToken = default)
    {
        var argumentText = CommandLine.Join(arguments);
        var startInfo = new ProcessStartInfo(GitPath, argumentText)
        {
            WorkingDirectory = WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        startInfo.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANGUAGE"] = "C";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new GitNotFoundException(GitPath, argumentText, exception);
        }
        catch (FileNotFoundException exception)
        {
            throw new GitNotFoundException(GitPath, argumentText, exception);
        }

        Interlocked.Increment(ref _invocationCount);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var registration = timeout.Token.Register(() => TryKill(process));

        var output = ReadToEndAsync(process.StandardOutput.BaseStream);
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(standardInput, 0, standardInput.Length, timeout.Token).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Git stopped reading (it failed early); its exit code and stderr say why.
        }
        catch (OperationCanceledException)
        {
            // Handled below, once the killed process has closed its streams.
        }

        var outputBytes = await output.ConfigureAwait(false);
        var errorText = await error.ConfigureAwait(false);
        process.WaitForExit();

        if (timeout.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new GitTimeoutException(GitPath, argumentText, _timeout);
        }

        return new GitResult(process.ExitCode, outputBytes, errorText);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Exiting at this very moment.
        }
    }
}
