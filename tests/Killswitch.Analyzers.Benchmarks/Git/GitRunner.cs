using System.Diagnostics;

namespace Killswitch.Analyzers.Benchmarks.Git;

/// <summary>Runs git in one repository; commits get a fixed author and date so generated repositories are identical.</summary>
internal sealed class GitRunner(string repository)
{
    public string Repository { get; } = repository;

    public string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = Repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_AUTHOR_NAME"] = "Killswitch Benchmark";
        start.Environment["GIT_AUTHOR_EMAIL"] = "bench@killswitch.invalid";
        start.Environment["GIT_AUTHOR_DATE"] = "2025-01-01T00:00:00Z";
        start.Environment["GIT_COMMITTER_NAME"] = "Killswitch Benchmark";
        start.Environment["GIT_COMMITTER_EMAIL"] = "bench@killswitch.invalid";
        start.Environment["GIT_COMMITTER_DATE"] = "2025-01-01T00:00:00Z";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start git: is it installed and on PATH?");
        var errorTask = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"git {string.Join(' ', arguments)} failed in {Repository} (exit {process.ExitCode}): {errorTask.Result.Trim()}");
        }

        return output;
    }

    /// <summary>Creates the repository with <c>main</c> as its initial branch and a local identity.</summary>
    public void Init()
    {
        Run("init", "--quiet", "--initial-branch=main");
        Run("config", "user.name", "Killswitch Benchmark");
        Run("config", "user.email", "bench@killswitch.invalid");
        Run("config", "core.autocrlf", "false");
    }

    public void CommitAll(string message)
    {
        Run("add", "--all");
        Run("commit", "--quiet", "--no-verify", "-m", message);
    }
}
