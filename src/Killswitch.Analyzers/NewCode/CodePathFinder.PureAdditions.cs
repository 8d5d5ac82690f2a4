using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.NewCode;

/// <summary>
/// Files that only gained lines. When the hand-over (format version 2) says a modified file lost no line, its base
/// version is the current text without the added lines, so the comparison with the base version can be answered from
/// the current tree without parsing the base:
/// <list type="bullet">
/// <item>an existing member (one with a line that was not added) is its base member, and its base units are its
/// units on old lines; as long as no unit or branch header mixes added and old lines, exactly the units and branches
/// on added lines are new, which is what the comparison finds;</item>
/// <item>a member made only of added lines is new, unless an existing member shares its key or name (the comparison
/// would pair them) or its body is a copy of an existing body (the comparison's rename check).</item>
/// </list>
/// Whenever the shortcut could answer differently (a changed member, type or namespace header; a statement that spans
/// added and old lines; directives, multi-line comments or multi-line strings on added lines; top-level statements),
/// the whole file is compared with its base version as before.
/// </summary>
internal sealed partial class CodePathFinder
{
    private static readonly string[] MultiLineOpeners = { "/*", "*/", "@\"", "@$\"", "\"\"\"" };

    private bool[]? _addedLine;
    private int[]? _addedBefore;
    private int[]? _runStarts;
    private int[]? _runEnds;
    private bool? _mayEscape;
    private HashSet<string>? _onOldLines;
    private HashSet<string>? _notOnOldLines;
    private HashSet<string>? _oldIdentifiers;
    private HashSet<string>? _oldBodyPrints;
    private List<(SyntaxNode Member, SyntaxNode Body)>? _oldMembers;

    private bool TryRunForPureAdditions()
    {
        _addedLine = new bool[_lines.Count];
        foreach (var (start, end) in _file!.AddedLines)
        {
            if (end > _lines.Count)
            {
                return false; // the hand-over does not describe this text
            }

            for (var line = start; line <= end; line++)
            {
                _addedLine[line - 1] = true;
            }
        }

        _addedBefore = new int[_lines.Count + 1];
        var runStarts = new List<int>();
        var runEnds = new List<int>();
        for (var line = 0; line < _lines.Count; line++)
        {
            _addedBefore[line + 1] = _addedBefore[line] + (_addedLine[line] ? 1 : 0);
            if (!_addedLine[line])
            {
                continue;
            }

            // A position belongs to a line up to its line break; the end of the text belongs to the last line.
            var end = line == _lines.Count - 1 ? int.MaxValue : _lines[line].EndIncludingLineBreak;
            if (line > 0 && _addedLine[line - 1])
            {
                runEnds[runEnds.Count - 1] = end;
            }
            else
            {
                runStarts.Add(_lines[line].Start);
                runEnds.Add(end);
            }
        }

        _runStarts = runStarts.ToArray();
        _runEnds = runEnds.ToArray();

        if (HasRiskyAddedLines() || (_root is CompilationUnitSyntax unit && unit.Members.Any(m => m is GlobalStatementSyntax)))
        {
            return false;
        }

        var members = SyntaxUnits.ExecutableMembers(_root).ToList();
        var whollyAdded = new bool[members.Count];
        _oldMembers = new List<(SyntaxNode Member, SyntaxNode Body)>();
        var keys = new StringCounts();
        var nameKeys = new HashSet<string>(System.StringComparer.Ordinal);
        var signatures = new StringCounts();

        // The keys below are asked only for members with added lines; two members share a key only if their names end
        // alike, so old members of other names need no key (building one formats the containers and parameter types).
        var askedNames = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var (member, _) in members)
        {
            if (IntersectsAdded(member.Span))
            {
                askedNames.Add(NameTail(member));
            }
        }

        var checkedContainers = new HashSet<SyntaxNode>();
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i].Member;
            whollyAdded[i] = AllLinesAdded(member.Span);
            if (whollyAdded[i])
            {
                continue;
            }

            if (!HeaderUnchanged(member, checkedContainers))
            {
                return false;
            }

            _oldMembers.Add(members[i]);
            if (!askedNames.Contains(NameTail(member)))
            {
                continue;
            }

            var key = SyntaxUnits.MemberKey(member);
            keys.Add(key);
            nameKeys.Add(SyntaxUnits.MemberNameKey(member));
            var signature = SyntaxUnits.QualifiedName(member);
            signatures.Add(signature);
        }

        for (var i = 0; i < members.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var (member, body) = members[i];
            if (!IntersectsAdded(member.Span))
            {
                continue;
            }

            if (whollyAdded[i])
            {
                // The comparison would pair it with an existing member of the same key or name: let it.
                if (keys.Contains(SyntaxUnits.MemberKey(member)) || nameKeys.Contains(SyntaxUnits.MemberNameKey(member)))
                {
                    return false;
                }

                if (!IsCopyOfOldBody(body))
                {
                    AddWhollyNewMember(member, body);
                }

                continue;
            }

            if (keys[SyntaxUnits.MemberKey(member)] > 1 && signatures[SyntaxUnits.QualifiedName(member)] > 1)
            {
                // Overloads of one arity: the comparison pairs a member with the base overload of the same parameter
                // list text, which is the member itself (its header has no added line) unless two old overloads read
                // the same (e.g. ref and out of one type): only then could it pair it with another.
                return false;
            }

            // Units and constructs with no added line can neither mix added and old lines nor be new: only the parts
            // of the body around added lines are collected (in a long method that gained a few lines, a few nodes).
            var units = new List<SyntaxNode>();
            var constructs = new List<Construct>();
            Collect(member, body, units, constructs, onlyAroundAddedLines: true);
            if (units.Any(MixesAddedAndOldLines) || constructs.Any(c => MixesAddedAndOldLines(c.HeaderSpan)))
            {
                return false;
            }

            AnalyzeBody(member, baseBody: null, units, constructs);
        }

        return true;
    }

    /// <summary>The end of a member's name after its last dot, which every key of the member ends with (before its parameters).</summary>
    private static string NameTail(SyntaxNode member)
    {
        var name = SyntaxUnits.MemberName(member);
        var dot = name.LastIndexOf('.');
        return dot < 0 ? name : name.Substring(dot + 1);
    }

    /// <summary>Added lines that could change how old lines are read: directives, multi-line comments and strings.</summary>
    private bool HasRiskyAddedLines()
    {
        // Each added line is read through one buffer: a line's ToString() of a large file's text copies it out of the
        // text's chunks into a new string, and in a build's fresh compiler process that was a fifth of this class's time.
        char[]? buffer = null;
        for (var line = 0; line < _addedLine!.Length; line++)
        {
            if (!_addedLine[line])
            {
                continue;
            }

            var span = _lines[line].Span;
            if (buffer is null || buffer.Length < span.Length)
            {
                buffer = new char[System.Math.Max(span.Length, 256)];
            }

            _text.CopyTo(span.Start, buffer, 0, span.Length);
            if (IsRiskyLine(buffer, span.Length))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRiskyLine(char[] line, int length)
    {
        var first = 0;
        while (first < length && char.IsWhiteSpace(line[first]))
        {
            first++;
        }

        if (first < length && line[first] == '#')
        {
            return true;
        }

        foreach (var opener in MultiLineOpeners)
        {
            for (var at = first; at + opener.Length <= length; at++)
            {
                if (line[at] == opener[0] && Matches(line, at, opener))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Matches(char[] line, int at, string value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if (line[at + i] != value[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the member's key is the same in the base version: no added line in its header or in the
    /// headers of the types, namespaces and properties around it (each container checked once per file).</summary>
    private bool HeaderUnchanged(SyntaxNode member, HashSet<SyntaxNode> checkedContainers)
    {
        if (AnyLineAdded(HeaderSpan(member)))
        {
            return false;
        }

        foreach (var ancestor in member.Ancestors())
        {
            if (!checkedContainers.Add(ancestor))
            {
                break; // checked with its own containers for an earlier member
            }

            var end = ancestor switch
            {
                BaseTypeDeclarationSyntax type => type.Identifier.Span.End,
                BaseNamespaceDeclarationSyntax ns => ns.Name.Span.End,
                PropertyDeclarationSyntax property => property.Identifier.Span.End,
                IndexerDeclarationSyntax indexer => indexer.ParameterList.Span.End,
                EventDeclarationSyntax @event => @event.Identifier.Span.End,
                _ => -1,
            };
            if (end >= 0 && AnyLineAdded(TextSpan.FromBounds(ancestor.SpanStart, end)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the unit's own tokens (nested statements aside) lie on both added and old lines.</summary>
    private bool MixesAddedAndOldLines(SyntaxNode unit)
    {
        // Its own tokens lie on the lines of its span: a span on added lines only, or on old lines only, mixes nothing
        // (most units: a whole added statement), and its tokens need no look-up.
        if (!MixesAddedAndOldLines(unit.Span))
        {
            return false;
        }

        var added = false;
        var old = false;
        foreach (var token in SyntaxUnits.Tokens(unit, node => node == unit || !SyntaxUnits.IsNestedBody(node)))
        {
            var first = _lines.IndexOf(token.SpanStart);
            var last = token.Span.Length == 0 ? first : _lines.IndexOf(token.Span.End);
            for (var line = first; line <= last; line++)
            {
                if (_addedLine![line])
                {
                    added = true;
                }
                else
                {
                    old = true;
                }
            }

            if (added && old)
            {
                return true;
            }
        }

        return false;
    }

    private bool MixesAddedAndOldLines(TextSpan span)
    {
        var added = AddedLineCount(span, out var lines);
        return added > 0 && added < lines;
    }

    private bool AllLinesAdded(TextSpan span)
    {
        var added = AddedLineCount(span, out var lines);
        return added == lines;
    }

    /// <summary>
    /// True when the span touches an added line, by the positions of the runs of added lines: asked for every node
    /// the collection visits, where two line look-ups per node were a tenth of this class's time.
    /// </summary>
    private bool AnyLineAdded(TextSpan span)
    {
        // The first run that ends after the span's start; the span touches it when it starts by the span's end.
        int low = 0, high = _runEnds!.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_runEnds[middle] > span.Start)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low < _runEnds.Length && _runStarts![low] <= span.End;
    }

    /// <summary>How many of the lines the span touches were added, and how many it touches.</summary>
    private int AddedLineCount(TextSpan span, out int lines)
    {
        var first = _lines.GetLineFromPosition(span.Start).LineNumber;
        var last = span.Length == 0 ? first : _lines.GetLineFromPosition(span.End).LineNumber;
        lines = last - first + 1;
        return _addedBefore![last + 1] - _addedBefore[first];
    }

    /// <summary>
    /// The comparison's rename check for a member made of added lines: is its body, with renamed identifiers
    /// canonicalised, the body of a base member? An identifier that occurs only on added lines is renamed (absent from
    /// the base), and no base body holds a renamed identifier, so such a body is no copy; otherwise its text is
    /// compared with the old bodies' texts without their added lines (their base versions).
    /// </summary>
    private bool IsCopyOfOldBody(SyntaxNode body)
    {
        foreach (var token in SyntaxUnits.Tokens(body))
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && !OccursOnOldLine(token.ValueText))
            {
                return false;
            }
        }

        if (_oldBodyPrints is null)
        {
            _oldBodyPrints = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var (_, oldBody) in _oldMembers!)
            {
                var print = new StringBuilder();
                foreach (var token in SyntaxUnits.Tokens(oldBody))
                {
                    if (!_addedLine![_lines.GetLineFromPosition(token.SpanStart).LineNumber])
                    {
                        print.Append(token.Text).Append(' ');
                    }
                }

                _oldBodyPrints.Add(print.ToString());
            }
        }

        return _oldBodyPrints.Contains(SyntaxUnits.BodyFingerprint(body, renamed: null));
    }

    /// <summary>True when an identifier token with this name lies on a line that was not added (so the base has it).</summary>
    private bool OccursOnOldLine(string identifier)
    {
        _onOldLines ??= new HashSet<string>(System.StringComparer.Ordinal);
        _notOnOldLines ??= new HashSet<string>(System.StringComparer.Ordinal);
        if (_onOldLines.Contains(identifier))
        {
            return true;
        }

        if (_notOnOldLines.Contains(identifier))
        {
            return false;
        }

        bool found;
        _mayEscape ??= TextSearch.MayHoldUnicodeEscape(_text);
        if (_mayEscape.Value)
        {
            // Identifiers may be spelled with Unicode escapes: collect the old lines' identifiers token by token.
            if (_oldIdentifiers is null)
            {
                _oldIdentifiers = new HashSet<string>(System.StringComparer.Ordinal);
                foreach (var token in SyntaxUnits.Tokens(_root))
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken) && !_addedLine![_lines.GetLineFromPosition(token.SpanStart).LineNumber])
                    {
                        _oldIdentifiers.Add(token.ValueText);
                    }
                }
            }

            found = _oldIdentifiers.Contains(identifier);
        }
        else
        {
            found = false;
            foreach (var index in TextSearch.Occurrences(_text, identifier))
            {
                // Only a whole word can be the identifier: most occurrences of a short name lie inside longer words,
                // and finding the token at each one was the most expensive step of this check.
                if (IsIdentifierPartAt(index - 1) || IsIdentifierPartAt(index + identifier.Length)
                    || _addedLine![_lines.GetLineFromPosition(index).LineNumber])
                {
                    continue;
                }

                var token = _root.FindToken(index);
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.Span.Contains(index) && token.ValueText == identifier)
                {
                    found = true;
                    break;
                }
            }
        }

        (found ? _onOldLines : _notOnOldLines).Add(identifier);
        return found;
    }

    private bool IsIdentifierPartAt(int position) =>
        position >= 0 && position < _text.Length && SyntaxFacts.IsIdentifierPartCharacter(_text[position]);
}
