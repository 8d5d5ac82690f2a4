using System.Collections.Generic;
using System.Text;
using Killswitch.Build.IO;

namespace Killswitch.Build.NewCode;

/// <summary>
/// Writes the hand-over file the analyzers read (<c>*.killswitch-newcode</c>, version 2; parsed by
/// <c>Killswitch.Analyzers.NewCode.NewCodeMap</c>, which also reads version 1): <c>key TAB value</c> lines, a header,
/// then one record per changed file. Version 2 adds <c>removed</c> (base-version lines a modification removed; absent
/// when it only adds lines, which version 1 could not say). Keys the analyzer does not know (<c>repository-root</c>, <c>problem</c>, <c>renamed-from</c>)
/// are ignored by it and serve the summary and people reading the file.
/// </summary>
internal static class NewCodeDocument
{
    public const string FileSuffix = ".killswitch-newcode";
    public const string BaseTextSuffix = ".killswitch-base";

    /// <summary>The format version written in the header.</summary>
    public const int Version = 2;

    public static string Write(NewCodeScope scope, NewCodeResult? result)
    {
        var text = new StringBuilder();
        Line(text, "killswitch-newcode", Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        text.Append("# Written by Killswitch.Build before each compilation: what git says is new. See docs/msbuild.md.\n");
        Line(text, "scope", scope.ToString());
        if (result is null)
        {
            return text.ToString();
        }

        if (result.BaseRef is not null)
        {
            Line(text, "base-ref", result.BaseRef);
        }

        if (result.MergeBase is not null)
        {
            Line(text, "merge-base", result.MergeBase);
        }

        if (result.RepositoryRoot is not null)
        {
            Line(text, "repository-root", result.RepositoryRoot);
        }

        if (result.Problem is not null)
        {
            Line(text, "problem", result.Problem.Code + " " + result.Problem.Description);
        }

        foreach (var file in result.Files)
        {
            Line(text, "file", PathUtilities.Normalize(file.FullPath));
            Line(text, "status", Status(file.Status));
            if (file.AddedLines.Count > 0)
            {
                Line(text, "added", LineRange.Format(file.AddedLines));
            }

            if (file.Status == ChangedFileStatus.Modified && file.RemovedLines.Count > 0)
            {
                Line(text, "removed", LineRange.Format(file.RemovedLines));
            }

            if (file.BaseTextPath is not null)
            {
                Line(text, "base-text", PathUtilities.Normalize(file.BaseTextPath));
            }

            if (file.IsRenamed && file.BasePath is not null)
            {
                Line(text, "renamed-from", file.BasePath);
            }
        }

        return text.ToString();
    }

    /// <summary>Reads back the keys the summary needs (<c>base-ref</c>, <c>problem</c>, ...) and the number of files.</summary>
    public static Dictionary<string, string> ReadHeader(string content, out int fileCount)
    {
        var values = new Dictionary<string, string>();
        fileCount = 0;
        foreach (var line in content.Split('\n'))
        {
            var tab = line.IndexOf('\t');
            if (line.Length == 0 || line[0] == '#' || tab < 0)
            {
                continue;
            }

            var key = line.Substring(0, tab);
            if (key == "file")
            {
                fileCount++;
            }
            else if (!values.ContainsKey(key))
            {
                values[key] = line.Substring(tab + 1).TrimEnd('\r');
            }
        }

        return values;
    }

    private static string Status(ChangedFileStatus status) => status switch
    {
        ChangedFileStatus.Added => "added",
        ChangedFileStatus.Untracked => "untracked",
        _ => "modified",
    };

    private static void Line(StringBuilder text, string key, string value) =>
        text.Append(key).Append('\t').Append(value.Replace('\n', ' ').Replace('\r', ' ')).Append('\n');
}
