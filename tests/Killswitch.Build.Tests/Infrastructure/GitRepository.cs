using System;
using System.Collections.Generic;
using System.IO;

namespace Killswitch.Build.Tests.Infrastructure;

/// <summary>A real, throwaway git repository on disk (main branch, one identity, no signing, no line-ending conversion).</summary>
internal sealed class GitRepository
{
    private GitRepository(string path) => Path = path;

    public string Path { get; }

    public static GitRepository Init(string path)
    {
        Directory.CreateDirectory(path);
        var repository = new GitRepository(path);
        repository.Git("init", "-q", "-b", "main");
        repository.Configure();
        return repository;
    }

    /// <summary>Clones with extra options (e.g. <c>--depth 1</c>); the source is addressed as file:// so depth applies.</summary>
    public static GitRepository Clone(GitRepository source, string path, params string[] options)
    {
        var arguments = new List<string> { "clone", "-q" };
        arguments.AddRange(options);
        arguments.Add("file://" + source.Path);
        arguments.Add(path);
        Run(System.IO.Path.GetDirectoryName(path)!, arguments);
        var clone = new GitRepository(path);
        clone.Configure();
        return clone;
    }

    public string Git(params string[] arguments) => Run(Path, arguments);

    public string FullPath(string relativePath) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));

    public string Write(string relativePath, string content)
    {
        var path = FullPath(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public void Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
    }

    /// <summary>
    /// Moves every time stamp a minute back, so a fingerprint taken now is not "racy" (files changed in the same
    /// tick as the fingerprint are never trusted, as in git itself).
    /// </summary>
    public void AgeFiles()
    {
        var past = DateTime.UtcNow.AddMinutes(-1);
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            if (!file.Contains("/.git/objects/", StringComparison.Ordinal))
            {
                File.SetLastWriteTimeUtc(file, past);
            }
        }
    }

    private void Configure()
    {
        Git("config", "user.name", "Killswitch Tests");
        Git("config", "user.email", "tests@killswitch.invalid");
        Git("config", "commit.gpgsign", "false");
        Git("config", "core.autocrlf", "false");
    }

    private static string Run(string workingDirectory, IEnumerable<string> arguments)
    {
        var result = ProcessRunner.Run("git", arguments, workingDirectory);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
        }

        return result.Output;
    }
}
