using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Killswitch.Build.Git;

/// <summary>
/// A cheap summary of everything the git step's answer depends on, read from the file system without starting
/// git: HEAD, the candidate base refs, the index, packed-refs, the shallow file, ignore files, and the size and
/// time of each source file. Equal fingerprints mean git would answer the same, so the step can be skipped.
/// Anything unusual (GIT_DIR set, the reftable format, a ref expression such as <c>@{upstream}</c>) gives no
/// fingerprint, and git runs every time.
/// </summary>
internal static class GitStateFingerprint
{
    /// <summary>
    /// File systems with coarse timestamps (FAT: 2 s) can give a file edited twice in one tick the same time;
    /// a fingerprint is not trusted while any input is this close to when it was taken (git's "racy" rule).
    /// </summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private static readonly char[] RevisionSuffixes = { '~', '^' };
    private static readonly string[] RefPrefixes = { string.Empty, "refs/", "refs/tags/", "refs/heads/", "refs/remotes/" };
    private static readonly string[] RepositoryVariables = { "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY" };

    /// <param name="projectDirectory">The project directory; <c>.git</c> is looked for from there upwards.</param>
    /// <param name="compileFiles">The source files whose time and size count.</param>
    /// <param name="candidates">The base refs that will be tried.</param>
    /// <param name="parameters">The task's settings, so that changing one invalidates the fingerprint.</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <param name="newestInputUtc">The newest time stamp among the inputs, for the racy check.</param>
    public static string? Compute(
        string projectDirectory,
        IReadOnlyList<string> compileFiles,
        IReadOnlyList<string> candidates,
        string parameters,
        Func<string, string?> environment,
        out DateTime newestInputUtc)
    {
        newestInputUtc = DateTime.MinValue;
        foreach (var variable in RepositoryVariables)
        {
            if (!string.IsNullOrEmpty(environment(variable)))
            {
                return null;
            }
        }

        if (!TryFindGitDirectory(projectDirectory, out var workTree, out var gitDirectory))
        {
            return null;
        }

        var commonFile = Path.Combine(gitDirectory, "commondir");
        var commonDirectory = File.Exists(commonFile)
            ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(commonFile).Trim()))
            : gitDirectory;
        if (Directory.Exists(Path.Combine(commonDirectory, "reftable")))
        {
            return null;
        }

        var text = new StringBuilder();
        text.Append("parameters ").Append(parameters).Append('\n');
        var head = ReadText(Path.Combine(gitDirectory, "HEAD"));
        if (head is null)
        {
            return null;
        }

        text.Append("HEAD ").Append(head).Append('\n');
        if (head.StartsWith("ref: ", StringComparison.Ordinal))
        {
            AppendRef(text, commonDirectory, head.Substring(5));
        }

        foreach (var candidate in candidates)
        {
            var name = candidate;
            var suffix = name.IndexOfAny(RevisionSuffixes);
            if (suffix >= 0)
            {
                name = name.Substring(0, suffix);
            }

            if (name.IndexOf("@{", StringComparison.Ordinal) >= 0 || name.IndexOf(':') >= 0 || name.Length == 0)
            {
                return null;
            }

            if (name == "HEAD")
            {
                continue;
            }

            foreach (var prefix in RefPrefixes)
            {
                AppendRef(text, commonDirectory, prefix + name);
            }
        }

        var stamped = new List<string>
        {
            Path.Combine(gitDirectory, "index"),
            Path.Combine(commonDirectory, "packed-refs"),
            Path.Combine(commonDirectory, "shallow"),
            Path.Combine(commonDirectory, "info", "exclude"),
            Path.Combine(workTree, ".gitignore"),
            Path.Combine(projectDirectory, ".gitignore"),
        };
        var sources = new List<string>(compileFiles);
        sources.Sort(StringComparer.Ordinal);
        stamped.AddRange(sources);

        foreach (var path in stamped)
        {
            var info = new FileInfo(path);
            text.Append(path).Append(' ');
            if (info.Exists)
            {
                var written = info.LastWriteTimeUtc;
                if (written > newestInputUtc)
                {
                    newestInputUtc = written;
                }

                text.Append(written.Ticks.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(info.Length.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append('-');
            }

            text.Append('\n');
        }

        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
        return BitConverter.ToString(hash).Replace("-", string.Empty).ToLowerInvariant();
    }

    /// <summary>Finds <c>.git</c> upwards from the project: a directory, or a file naming one (worktrees, submodules).</summary>
    internal static bool TryFindGitDirectory(string projectDirectory, out string workTree, out string gitDirectory)
    {
        var directory = new DirectoryInfo(Path.GetFullPath(projectDirectory));
        while (directory is not null)
        {
            var dotGit = Path.Combine(directory.FullName, ".git");
            if (Directory.Exists(dotGit))
            {
                workTree = directory.FullName;
                gitDirectory = dotGit;
                return true;
            }

            if (File.Exists(dotGit))
            {
                var content = ReadText(dotGit) ?? string.Empty;
                if (!content.StartsWith("gitdir: ", StringComparison.Ordinal))
                {
                    break;
                }

                workTree = directory.FullName;
                gitDirectory = Path.GetFullPath(Path.Combine(directory.FullName, content.Substring(8).Trim()));
                return Directory.Exists(gitDirectory);
            }

            directory = directory.Parent;
        }

        workTree = string.Empty;
        gitDirectory = string.Empty;
        return false;
    }

    private static void AppendRef(StringBuilder text, string commonDirectory, string refName)
    {
        var value = ReadText(Path.Combine(commonDirectory, refName.Replace('/', Path.DirectorySeparatorChar)));
        text.Append("ref ").Append(refName).Append(' ').Append(value ?? "-").Append('\n');
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
