using System;
using System.Collections.Generic;
using System.Globalization;

namespace Killswitch.Build.Git;

/// <summary>
/// Reads the output of <c>git diff --unified=0 -M</c> into the lines each file adds and removes. Hunk bodies are counted
/// line by line rather than trusting the header alone, so context lines (from a user's
/// <c>diff.interHunkContext</c>, say) are never taken for added lines.
/// </summary>
internal static class UnifiedDiffParser
{
    private const string DiffHeader = "diff --git ";

    public static IReadOnlyList<DiffEntry> Parse(string diff)
    {
        var entries = new List<DiffEntry>();
        DiffEntry? current = null;
        var oldRemaining = 0;
        var newRemaining = 0;
        var newLine = 0;
        var oldLine = 0;

        foreach (var rawLine in diff.Split('\n'))
        {
            var line = rawLine.Length > 0 && rawLine[rawLine.Length - 1] == '\r' ? rawLine.Substring(0, rawLine.Length - 1) : rawLine;

            if (current is not null && (oldRemaining > 0 || newRemaining > 0))
            {
                var marker = line.Length == 0 ? ' ' : line[0];
                switch (marker)
                {
                    case '+':
                        LineRangeAdd(current, newLine);
                        newLine++;
                        newRemaining--;
                        continue;
                    case '-':
                        if (oldLine >= 1)
                        {
                            NewCode.LineRange.AddLine(current.RemovedLines, oldLine);
                        }

                        oldLine++;
                        oldRemaining--;
                        continue;
                    case ' ':
                        newLine++;
                        oldLine++;
                        newRemaining--;
                        oldRemaining--;
                        continue;
                    case '\\':
                        // "\ No newline at end of file"
                        continue;
                    default:
                        // A truncated hunk: fall through to header parsing.
                        oldRemaining = 0;
                        newRemaining = 0;
                        break;
                }
            }

            if (line.StartsWith(DiffHeader, StringComparison.Ordinal))
            {
                current = new DiffEntry();
                entries.Add(current);
                var samePath = PathFromHeader(line.Substring(DiffHeader.Length));
                current.OldPath = samePath;
                current.NewPath = samePath;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                if (TryParseHunkHeader(line, out var oldStart, out var oldCount, out var newStart, out var newCount))
                {
                    oldRemaining = oldCount;
                    newRemaining = newCount;
                    newLine = newStart;
                    oldLine = oldStart;
                    current.HasHunks = true;
                }
            }
            else if (line.StartsWith("new file mode", StringComparison.Ordinal))
            {
                current.IsNew = true;
                current.OldPath = null;
            }
            else if (line.StartsWith("deleted file mode", StringComparison.Ordinal))
            {
                current.IsDeleted = true;
                current.NewPath = null;
            }
            else if (TryValue(line, "rename from ", out var value) || TryValue(line, "copy from ", out value))
            {
                current.OldPath = GitQuotedPath.Unquote(value);
                current.IsRenamed = true;
            }
            else if (TryValue(line, "rename to ", out value) || TryValue(line, "copy to ", out value))
            {
                current.NewPath = GitQuotedPath.Unquote(value);
                current.IsRenamed = true;
            }
            else if (TryValue(line, "--- ", out value))
            {
                current.OldPath = PrefixedPath(value, "a/");
            }
            else if (TryValue(line, "+++ ", out value))
            {
                current.NewPath = PrefixedPath(value, "b/");
            }
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal))
            {
                current.IsBinary = true;
            }
        }

        return entries;
    }

    /// <summary>Parses <c>@@ -a[,b] +c[,d] @@</c>; an omitted count is 1.</summary>
    internal static bool TryParseHunkHeader(string line, out int oldStart, out int oldCount, out int newStart, out int newCount)
    {
        oldStart = 0;
        oldCount = 0;
        newStart = 0;
        newCount = 0;
        var parts = line.Split(' ');
        if (parts.Length < 4 || parts[1].Length < 2 || parts[1][0] != '-' || parts[2].Length < 2 || parts[2][0] != '+')
        {
            return false;
        }

        return TryParseRange(parts[1].Substring(1), out oldStart, out oldCount)
            && TryParseRange(parts[2].Substring(1), out newStart, out newCount);
    }

    private static bool TryParseRange(string text, out int start, out int count)
    {
        var comma = text.IndexOf(',');
        count = 1;
        if (comma < 0)
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out start);
        }

        return int.TryParse(text.Substring(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && int.TryParse(text.Substring(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }

    private static void LineRangeAdd(DiffEntry entry, int line)
    {
        if (line >= 1)
        {
            NewCode.LineRange.AddLine(entry.AddedLines, line);
        }
    }

    private static bool TryValue(string line, string prefix, out string value)
    {
        if (line.StartsWith(prefix, StringComparison.Ordinal))
        {
            value = line.Substring(prefix.Length);
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary><c>a/path</c>, <c>"b/quoted path"</c> or <c>/dev/null</c>; git appends a tab to names holding a space.</summary>
    private static string? PrefixedPath(string value, string prefix)
    {
        if (value.Length > 0 && value[value.Length - 1] == '\t')
        {
            value = value.Substring(0, value.Length - 1);
        }

        if (value == "/dev/null")
        {
            return null;
        }

        value = GitQuotedPath.Unquote(value);
        return value.StartsWith(prefix, StringComparison.Ordinal) ? value.Substring(prefix.Length) : value;
    }

    /// <summary>
    /// The header <c>a/X b/X</c> is ambiguous when names hold spaces; it only serves changes without
    /// <c>---</c>/<c>+++</c> lines (mode changes), where both names are the same.
    /// </summary>
    private static string? PathFromHeader(string rest)
    {
        if (rest.Length < 7 || (rest.Length - 5) % 2 != 0 || !rest.StartsWith("a/", StringComparison.Ordinal))
        {
            return null;
        }

        var length = (rest.Length - 5) / 2;
        var first = rest.Substring(2, length);
        var second = rest.Substring(2 + length);
        return second == " b/" + first ? first : null;
    }
}
