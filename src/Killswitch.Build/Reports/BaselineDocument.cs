using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Killswitch.Build.Reports;

/// <summary>
/// Writes the baseline file the analyzers apply (<c>killswitch.baseline</c>): UTF-8, one <c>&lt;rule ID&gt; &lt;key&gt;</c>
/// per line, <c>#</c> comments. Keys name members and endpoints, not lines, so entries survive edits.
/// </summary>
internal static class BaselineDocument
{
    private static readonly char[] Separators = { ' ', '\t' };

    public const string DefaultHeader =
        "# Killswitch baseline: known findings that do not fail the gate, one '<rule ID> <key>' per line.\n" +
        "# Regenerate with 'dotnet build -p:KillswitchWriteBaseline=true'. See docs/msbuild.md#baseline.\n";

    /// <summary>
    /// The new content: the existing file's leading comment block (or the default header), then the entries,
    /// sorted and without duplicates.
    /// </summary>
    public static string Write(string? existingContent, IEnumerable<(string RuleId, string Key)> entries, out int added, out int removed)
    {
        var header = new StringBuilder();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        var inHeader = true;
        foreach (var rawLine in (existingContent ?? string.Empty).Replace("\r", string.Empty).Split('\n'))
        {
            var line = rawLine.Trim();
            if (inHeader && (line.Length == 0 || line[0] == '#'))
            {
                header.Append(rawLine.TrimEnd()).Append('\n');
                continue;
            }

            inHeader = false;
            if (line.Length > 0 && line[0] != '#')
            {
                existing.Add(Normalize(line));
            }
        }

        var lines = entries
            .Select(entry => entry.RuleId.Trim() + " " + entry.Key.Trim())
            .Distinct(StringComparer.Ordinal)
            .OrderBy(line => line, StringComparer.Ordinal)
            .ToList();
        added = lines.Count(line => !existing.Contains(line));
        removed = existing.Count(line => !lines.Contains(line, StringComparer.Ordinal));

        var text = new StringBuilder();
        var headerText = header.ToString();
        text.Append(headerText.Trim().Length == 0 ? DefaultHeader : headerText);
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static string Normalize(string line)
    {
        var space = line.IndexOfAny(Separators);
        return space < 0 ? line : line.Substring(0, space) + " " + line.Substring(space + 1).Trim();
    }
}
