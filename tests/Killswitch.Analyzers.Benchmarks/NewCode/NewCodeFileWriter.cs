using System.Globalization;
using System.Text;
using Killswitch.Analyzers.Benchmarks.Git;

namespace Killswitch.Analyzers.Benchmarks.NewCode;

/// <summary>
/// Writes the new-code file that KS1001 reads (format 2, see src/Killswitch.Analyzers/NewCode/NewCodeMap.cs) from
/// git: the diff of the working tree against the merge-base of HEAD and the base ref, plus untracked files. The
/// benchmark's direct mode uses it to time the analyzer without Killswitch.Build's MSBuild step.
/// </summary>
internal static class NewCodeFileWriter
{
    public static string Write(string repository, string baseRef, string outputFile, string? baseTextDirectory)
    {
        var root = Path.GetFullPath(repository);
        var git = new GitRunner(root);
        var mergeBase = git.Run("merge-base", "HEAD", baseRef).Trim();
        var diff = git.Run("diff", "--unified=0", "--no-color", "--no-renames", "--no-ext-diff", mergeBase, "--", "*.cs");
        var files = ParseDiff(diff);
        foreach (var path in git.Run("ls-files", "--others", "--exclude-standard", "--", "*.cs")
                     .Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            files.Add(new ChangedFile(path, "untracked", [], []));
        }

        var text = new StringBuilder();
        text.Append("killswitch-newcode\t2\n");
        text.Append("# written by Killswitch.Analyzers.Benchmarks newcode\n");
        text.Append("scope\tChanged\n");
        text.Append(CultureInfo.InvariantCulture, $"base-ref\t{baseRef}\n");
        text.Append(CultureInfo.InvariantCulture, $"merge-base\t{mergeBase}\n");
        var addedLines = 0;
        foreach (var file in files.OrderBy(x => x.Path, StringComparer.Ordinal))
        {
            var fullPath = Path.Combine(root, file.Path).Replace('\\', '/');
            text.Append(CultureInfo.InvariantCulture, $"file\t{fullPath}\n");
            text.Append(CultureInfo.InvariantCulture, $"status\t{file.Status}\n");
            if (file.Status == "modified")
            {
                addedLines += file.Added.Sum(x => x.End - x.Start + 1);
                if (file.Added.Count > 0)
                {
                    text.Append("added\t")
                        .AppendJoin(',', file.Added.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Start}-{x.End}")))
                        .Append('\n');
                }

                if (file.Removed.Count > 0)
                {
                    text.Append("removed\t")
                        .AppendJoin(',', file.Removed.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Start}-{x.End}")))
                        .Append('\n');
                }

                if (baseTextDirectory is not null)
                {
                    var basePath = Path.GetFullPath(Path.Combine(baseTextDirectory, file.Path + ".killswitch-base"));
                    Directory.CreateDirectory(Path.GetDirectoryName(basePath)!);
                    File.WriteAllText(basePath, git.Run("show", $"{mergeBase}:{file.Path}"));
                    text.Append(CultureInfo.InvariantCulture, $"base-text\t{basePath.Replace('\\', '/')}\n");
                }
            }
            else
            {
                addedLines += File.ReadAllLines(fullPath).Length;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputFile))!);
        File.WriteAllText(outputFile, text.ToString());
        return string.Create(
            CultureInfo.InvariantCulture,
            $"new-code file {outputFile}: {files.Count} files ({files.Count(x => x.Status == "modified")} modified, {files.Count(x => x.Status == "added")} added, {files.Count(x => x.Status == "untracked")} untracked), {addedLines} new lines, merge-base {mergeBase}");
    }

    /// <summary>Reads <c>git diff --unified=0</c>: file headers and the new-side ranges of its hunks.</summary>
    internal static List<ChangedFile> ParseDiff(string diff)
    {
        var files = new List<ChangedFile>();
        string? path = null;
        var status = "modified";
        var added = new List<(int Start, int End)>();
        var removed = new List<(int Start, int End)>();
        var deleted = false;

        void Flush()
        {
            if (path is not null && !deleted)
            {
                files.Add(new ChangedFile(path, status, [.. added], [.. removed]));
            }
        }

        foreach (var line in diff.Split('\n'))
        {
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                Flush();
                path = null;
                status = "modified";
                added.Clear();
                removed.Clear();
                deleted = false;
            }
            else if (line.StartsWith("new file mode", StringComparison.Ordinal))
            {
                status = "added";
            }
            else if (line.StartsWith("deleted file mode", StringComparison.Ordinal))
            {
                deleted = true;
            }
            else if (line.StartsWith("+++ b/", StringComparison.Ordinal))
            {
                path = line[6..];
            }
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                // @@ -a[,b] +c[,d] @@: b old lines from line a and d new lines from line c (1 when omitted, 0 for none).
                var minus = line.IndexOf(" -", StringComparison.Ordinal) + 2;
                var oldRange = line[minus..line.IndexOf(' ', minus)].Split(',');
                var oldStart = int.Parse(oldRange[0], CultureInfo.InvariantCulture);
                var oldLength = oldRange.Length > 1 ? int.Parse(oldRange[1], CultureInfo.InvariantCulture) : 1;
                if (oldLength > 0)
                {
                    removed.Add((oldStart, oldStart + oldLength - 1));
                }

                var plus = line.IndexOf(" +", StringComparison.Ordinal) + 2;
                var end = line.IndexOf(' ', plus);
                var range = line[plus..end].Split(',');
                var start = int.Parse(range[0], CultureInfo.InvariantCulture);
                var length = range.Length > 1 ? int.Parse(range[1], CultureInfo.InvariantCulture) : 1;
                if (length > 0)
                {
                    added.Add((start, start + length - 1));
                }
            }
        }

        Flush();
        return files;
    }

    internal sealed record ChangedFile(string Path, string Status, IReadOnlyList<(int Start, int End)> Added, IReadOnlyList<(int Start, int End)> Removed);
}
