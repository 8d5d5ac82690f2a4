using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers.Baseline;

/// <summary>
/// Known findings a team accepted when adopting the gate (MSBuild property <c>KillswitchBaselineFile</c>).
/// One finding per line: <c>&lt;rule ID&gt; &lt;key&gt;</c>, keyed by rule and symbol (not line) so entries
/// survive edits, e.g. <c>KS1001 Shop.OrdersController.Refund(int)</c>. '#' starts a comment.
/// </summary>
internal sealed class NewCodeBaseline
{
    public const string FileSuffix = ".killswitch-baseline";

    private readonly HashSet<string> _entries;

    private NewCodeBaseline(HashSet<string> entries) => _entries = entries;

    public static NewCodeBaseline Empty { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public int Count => _entries.Count;

    public bool Contains(string ruleId, string key) => _entries.Contains(ruleId + " " + key);

    /// <summary>Parses the baseline; malformed lines are skipped and reported as KS0002 at their position.</summary>
    public static NewCodeBaseline Parse(AdditionalText file, List<Diagnostic> problems, System.Threading.CancellationToken cancellationToken)
    {
        var entries = new HashSet<string>(StringComparer.Ordinal);
        var text = file.GetText(cancellationToken);
        if (text is null)
        {
            problems.Add(Diagnostic.Create(
                Descriptors.InvalidBaseline,
                Location.None,
                $"The baseline file '{file.Path}' could not be read; check that KillswitchBaselineFile points at a readable UTF-8 file."));
            return Empty;
        }

        foreach (var line in text.Lines)
        {
            var content = line.ToString().Trim();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            if (Entry(content) is not { } entry)
            {
                var span = line.Span;
                problems.Add(Diagnostic.Create(
                    Descriptors.InvalidBaseline,
                    Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span)),
                    $"Line {line.LineNumber + 1} of the baseline file '{file.Path}' is not of the form '<rule ID> <key>' (e.g. 'KS1001 Shop.OrdersController.Refund(int)'); it is ignored. Regenerate the file with -p:KillswitchWriteBaseline=true or fix the line."));
                continue;
            }

            entries.Add(entry);
        }

        return new NewCodeBaseline(entries);
    }

    /// <summary>"KS1001   Key.Of(it) " → "KS1001 Key.Of(it)"; null unless a rule ID (KS and four digits), white space and a
    /// key. By hand, not with a Regex: building one costs every build milliseconds, baseline or not.</summary>
    private static string? Entry(string line)
    {
        if (line.Length < 8 || line[0] != 'K' || line[1] != 'S' || !char.IsWhiteSpace(line[6]))
        {
            return null;
        }

        for (var i = 2; i < 6; i++)
        {
            if (!char.IsDigit(line[i]))
            {
                return null;
            }
        }

        var key = line.Substring(7).Trim();
        return key.Length == 0 ? null : line.Substring(0, 6) + " " + key;
    }
}
