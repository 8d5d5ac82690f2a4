using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
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

    private static readonly Regex EntryPattern = new(@"^(?<rule>KS\d{4})\s+(?<key>\S.*)$", RegexOptions.CultureInvariant);

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

            var match = EntryPattern.Match(content);
            if (!match.Success)
            {
                var span = line.Span;
                problems.Add(Diagnostic.Create(
                    Descriptors.InvalidBaseline,
                    Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span)),
                    $"Line {line.LineNumber + 1} of the baseline file '{file.Path}' is not of the form '<rule ID> <key>' (e.g. 'KS1001 Shop.OrdersController.Refund(int)'); it is ignored. Regenerate the file with -p:KillswitchWriteBaseline=true or fix the line."));
                continue;
            }

            entries.Add(match.Groups["rule"].Value + " " + match.Groups["key"].Value.Trim());
        }

        return new NewCodeBaseline(entries);
    }
}
