using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.NewCode;

/// <summary>
/// Finds the new code paths of one syntax tree by comparing it with its base version (syntax, not lines):
/// new members; inside existing members, new branches, local functions and endpoints; and runs of added
/// statements with behaviour. Formatting, comments and consistent renames are not new code.
/// The rules are written down in docs/rules/KS1001.md.
/// </summary>
internal sealed partial class CodePathFinder
{
    private static readonly HashSet<string> EndpointMethods = new(StringComparer.Ordinal)
    {
        "MapGet", "MapPost", "MapPut", "MapDelete", "MapPatch", "MapMethods", "MapFallback", "Map",
    };

    private readonly SyntaxNode _root;
    private readonly NewCodeFile? _file;
    private readonly Func<SyntaxNode?> _baseRootProvider;
    private readonly CancellationToken _cancellationToken;
    private readonly List<CodePath> _paths = new();
    private readonly SourceText _text;
    private readonly TextLineCollection _lines;

    private bool _baseRootRead;
    private SyntaxNode? _baseRootValue;
    private HashSet<string>? _renamedValue;
    private Dictionary<string, List<(SyntaxNode Member, SyntaxNode Body)>>? _baseByKey;
    private Dictionary<string, List<(SyntaxNode Member, SyntaxNode Body)>>? _baseByName;
    private List<(SyntaxNode Member, SyntaxNode Body)>? _baseMembers;
    private HashSet<string>? _baseBodies;

    private CodePathFinder(SyntaxNode root, NewCodeFile? file, Func<SyntaxNode?> baseRootProvider, CancellationToken cancellationToken)
    {
        _root = root;
        _file = file;
        _baseRootProvider = baseRootProvider;
        _cancellationToken = cancellationToken;
        _text = root.SyntaxTree.GetText(cancellationToken);
        _lines = _text.Lines;
    }

    /// <summary>
    /// Finds new code paths. <paramref name="file"/> null means all code is new (scope All);
    /// <paramref name="baseRoot"/> null for a modified file means the comparison falls back to added lines.
    /// </summary>
    public static IReadOnlyList<CodePath> Find(SyntaxNode root, NewCodeFile? file, SyntaxNode? baseRoot, CancellationToken cancellationToken) =>
        Find(root, file, () => baseRoot, cancellationToken);

    /// <summary>
    /// Finds new code paths, asking for the base version only when the file needs comparing with it: a modified file
    /// that only gained lines (format version 2 says so) is judged from the added lines alone whenever that gives the
    /// same answer as the comparison (see CodePathFinder.PureAdditions.cs).
    /// </summary>
    public static IReadOnlyList<CodePath> Find(SyntaxNode root, NewCodeFile? file, Func<SyntaxNode?> baseRoot, CancellationToken cancellationToken)
    {
        var finder = new CodePathFinder(root, file, baseRoot, cancellationToken);
        if (file is { OnlyAddsLines: true, BaseTextPath: not null } && finder.TryRunForPureAdditions())
        {
            return finder._paths;
        }

        finder._paths.Clear();
        finder.Run();
        return finder._paths;
    }

    private bool WhollyNew => _file is null || _file.IsWhollyNew;

    private SyntaxNode? BaseRoot
    {
        get
        {
            if (!_baseRootRead)
            {
                _baseRootRead = true;
                _baseRootValue = _baseRootProvider();
            }

            return _baseRootValue;
        }
    }

    /// <summary>Identifiers that occur in only one of the two versions (a consistent rename), computed on first use.</summary>
    private HashSet<string>? Renamed
    {
        get
        {
            if (_renamedValue is null && BaseRoot is { } baseRoot)
            {
                _renamedValue = RenamedIdentifiers(_root, baseRoot);
            }

            return _renamedValue;
        }
    }

    private void Run()
    {
        foreach (var (member, body) in SyntaxUnits.ExecutableMembers(_root))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (WhollyNew)
            {
                AddWhollyNewMember(member, body);
                continue;
            }

            if (!IntersectsAdded(member.Span))
            {
                continue;
            }

            var baseMember = FindBaseMember(member, body, out var renamedOnly);
            if (renamedOnly)
            {
                continue;
            }

            if (baseMember is null && member is not CompilationUnitSyntax)
            {
                if (IntersectsAdded(HeaderSpan(member)) || BaseRoot is null)
                {
                    if (BaseRoot is null)
                    {
                        // No base text: only what the added lines show can be judged.
                        AnalyzeBody(member, body, baseBody: null);
                    }
                    else
                    {
                        AddWhollyNewMember(member, body);
                    }
                }

                continue;
            }

            AnalyzeBody(member, body, baseMember?.Body);
        }
    }

    private void AddWhollyNewMember(SyntaxNode member, SyntaxNode body)
    {
        if (member is CompilationUnitSyntax)
        {
            // A new composition root: its endpoints are code paths; wiring statements are not.
            foreach (var invocation in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (IsEndpoint(invocation, out _, out _))
                {
                    AddEndpoint(member, invocation);
                }
            }

            return;
        }

        if (!SyntaxUnits.HasAnyBehaviour(body))
        {
            return;
        }

        var isAction = IsControllerAction(member);
        var name = SyntaxUnits.DisplayName(member);
        var what = isAction ? "Action" : MemberKindName(member);
        _paths.Add(new CodePath(
            isAction ? CodePathKind.Action : CodePathKind.Member,
            member,
            body.Span,
            SyntaxUnits.NameLocation(member),
            member,
            $"{what} '{name}'",
            string.Empty,
            SyntaxUnits.MemberName(member)));
    }

    private void AnalyzeBody(SyntaxNode member, SyntaxNode body, SyntaxNode? baseBody)
    {
        // Units (statements, arms) and constructs (branches, local functions, endpoints) of the current body.
        var units = new List<SyntaxNode>();
        var constructs = new List<Construct>();
        Collect(member, body, units, constructs);
        AnalyzeBody(member, baseBody, units, constructs);
    }

    private void AnalyzeBody(SyntaxNode member, SyntaxNode? baseBody, List<SyntaxNode> units, List<Construct> constructs)
    {
        StringCounts? baseUnits = null;
        StringCounts? baseHeaders = null;
        if (baseBody is not null)
        {
            var oldUnits = new List<SyntaxNode>();
            var oldConstructs = new List<Construct>();
            Collect(member, baseBody, oldUnits, oldConstructs);
            baseUnits = new StringCounts(oldUnits.Select(u => SyntaxUnits.Fingerprint(u, Renamed)));
            baseHeaders = new StringCounts(oldConstructs.Select(c => c.Header));
        }

        var newConstructs = SelectNew(constructs, c => IntersectsAdded(c.HeaderSpan), c => c.Header, baseHeaders);
        var newUnits = SelectNew(
            units.Where(SyntaxUnits.HasOwnBehaviour).ToList(),
            u => OwnTokensOnAddedLines(u),
            u => SyntaxUnits.Fingerprint(u, Renamed),
            baseUnits);

        var attributed = new HashSet<Construct>();
        var loose = new List<SyntaxNode>();
        foreach (var unit in newUnits)
        {
            Construct? owner = null;
            foreach (var construct in newConstructs)
            {
                if (construct.AttributionSpan.Contains(unit.SpanStart)
                    && (owner is null || construct.AttributionSpan.Length > owner.AttributionSpan.Length))
                {
                    owner = construct;
                }
            }

            if (owner is null)
            {
                loose.Add(unit);
            }
            else
            {
                attributed.Add(owner);
            }
        }

        // New endpoints are code paths even when their handler holds no new statement (e.g. a new route to old code).
        foreach (var construct in newConstructs)
        {
            if (construct.Kind == CodePathKind.Endpoint && !attributed.Contains(construct)
                && !newConstructs.Any(other => other != construct && other.AttributionSpan.Contains(construct.AttributionSpan) && attributed.Contains(other)))
            {
                attributed.Add(construct);
            }
        }

        foreach (var construct in newConstructs)
        {
            if (attributed.Contains(construct) && !IsInsideAttributedConstruct(construct, attributed))
            {
                _paths.Add(construct.ToCodePath(member));
            }
        }

        AddStatementGroups(member, loose);
    }

    private static bool IsInsideAttributedConstruct(Construct construct, IEnumerable<Construct> attributed) =>
        attributed.Any(other => other != construct && other.AttributionSpan.Contains(construct.AttributionSpan)
            && other.AttributionSpan.Length > construct.AttributionSpan.Length);

    private void AddStatementGroups(SyntaxNode member, List<SyntaxNode> loose)
    {
        var ordered = loose.OrderBy(u => u.SpanStart).ToList();
        var i = 0;
        while (i < ordered.Count)
        {
            var first = ordered[i];
            var last = first;
            var j = i + 1;
            while (j < ordered.Count && AreAdjacent(last, ordered[j]))
            {
                last = ordered[j];
                j++;
            }

            var region = TextSpan.FromBounds(first.SpanStart, last.Span.End);
            var name = SyntaxUnits.DisplayName(member);
            _paths.Add(new CodePath(
                CodePathKind.Statements,
                first,
                region,
                Location.Create(_root.SyntaxTree, FirstLineSpan(first)),
                member,
                $"Added code '{SyntaxUnits.Compact(first, 50)}' in '{name}'",
                " statements " + SyntaxUnits.Compact(first, 80),
                SyntaxUnits.MemberName(member)));
            i = j;
        }
    }

    private static bool AreAdjacent(SyntaxNode previous, SyntaxNode next)
    {
        if (previous is not StatementSyntax || next is not StatementSyntax)
        {
            return false;
        }

        var previousContainer = StatementContainer(previous);
        if (previousContainer is null || previousContainer != StatementContainer(next))
        {
            return false;
        }

        var siblings = previousContainer.ChildNodes().ToList();
        var a = siblings.IndexOf(previous.Parent is GlobalStatementSyntax g1 ? g1 : previous);
        var b = siblings.IndexOf(next.Parent is GlobalStatementSyntax g2 ? g2 : next);
        return b == a + 1;
    }

    private static SyntaxNode? StatementContainer(SyntaxNode statement) =>
        statement.Parent is GlobalStatementSyntax global ? global.Parent : statement.Parent;

    private TextSpan FirstLineSpan(SyntaxNode node)
    {
        var line = _lines.GetLineFromPosition(node.SpanStart);
        return TextSpan.FromBounds(node.SpanStart, Math.Min(node.Span.End, line.End));
    }

    /// <summary>
    /// The units and constructs of a body; with <paramref name="onlyAroundAddedLines"/> (files that only gained lines)
    /// only those whose span holds an added line.
    /// </summary>
    private void Collect(SyntaxNode member, SyntaxNode body, List<SyntaxNode> units, List<Construct> constructs, bool onlyAroundAddedLines = false)
    {
        // Type declarations next to top-level statements are members of their own.
        foreach (var node in body.DescendantNodesAndSelf(n => n is not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax
            && (!onlyAroundAddedLines || AnyLineAdded(n.Span))))
        {
            if (onlyAroundAddedLines && !AnyLineAdded(node.Span))
            {
                continue;
            }

            switch (node)
            {
                case BlockSyntax:
                    break;
                case LocalFunctionStatementSyntax local when ((SyntaxNode?)local.Body ?? local.ExpressionBody) is { } localBody:
                    constructs.Add(new Construct(
                        CodePathKind.Member,
                        local,
                        TextSpan.FromBounds(local.SpanStart, local.ParameterList.Span.End),
                        () => "local " + local.Identifier.ValueText + local.ParameterList.Parameters.Count,
                        local.Span,
                        localBody.Span,
                        local.Identifier.GetLocation(),
                        () => ($"Local function '{local.Identifier.ValueText}' in '{SyntaxUnits.DisplayName(member)}'",
                            " local " + local.Identifier.ValueText,
                            local.Identifier.ValueText)));
                    break;
                case IfStatementSyntax ifStatement:
                    units.Add(ifStatement);
                    var ifHeader = TextSpan.FromBounds(ifStatement.IfKeyword.SpanStart, ifStatement.CloseParenToken.Span.End);
                    constructs.Add(new Construct(
                        CodePathKind.Branch,
                        ifStatement,
                        ifHeader,
                        () => "if " + SyntaxUnits.Fingerprint(ifStatement.Condition, Renamed),
                        TextSpan.FromBounds(ifStatement.SpanStart, ifStatement.Statement.Span.End),
                        TextSpan.FromBounds(ifStatement.SpanStart, ifStatement.Statement.Span.End),
                        Location.Create(_root.SyntaxTree, ifHeader),
                        () =>
                        {
                            var ifText = "if (" + SyntaxUnits.Compact(ifStatement.Condition, 50) + ")";
                            return DescribeInMember(member, "Branch", ifText, " " + ifText);
                        }));
                    break;
                case ElseClauseSyntax elseClause when elseClause.Statement is not IfStatementSyntax && elseClause.Parent is IfStatementSyntax owner:
                    constructs.Add(new Construct(
                        CodePathKind.Branch,
                        elseClause,
                        elseClause.ElseKeyword.Span,
                        () => "else " + SyntaxUnits.Fingerprint(owner.Condition, Renamed),
                        elseClause.Span,
                        elseClause.Statement.Span,
                        elseClause.ElseKeyword.GetLocation(),
                        () =>
                        {
                            var elseText = "else of if (" + SyntaxUnits.Compact(owner.Condition, 40) + ")";
                            return DescribeInMember(member, "Branch", elseText, " " + elseText);
                        }));
                    break;
                case SwitchSectionSyntax section:
                    var labels = TextSpan.FromBounds(section.Labels.First().SpanStart, section.Labels.Last().Span.End);
                    constructs.Add(new Construct(
                        CodePathKind.Branch,
                        section,
                        labels,
                        () => "case " + string.Concat(section.Labels.Select(l => SyntaxUnits.Fingerprint(l, Renamed))),
                        section.Span,
                        section.Statements.Count == 0 ? section.Span : TextSpan.FromBounds(section.Statements.First().SpanStart, section.Statements.Last().Span.End),
                        Location.Create(_root.SyntaxTree, labels),
                        () =>
                        {
                            var caseText = string.Join(" ", section.Labels.Select(l => SyntaxUnits.Compact(l, 40)));
                            return DescribeInMember(member, "Switch section", caseText, " " + caseText);
                        }));
                    break;
                case SwitchExpressionArmSyntax arm:
                    units.Add(arm);
                    var armHeader = TextSpan.FromBounds(arm.Pattern.SpanStart, arm.EqualsGreaterThanToken.Span.End);
                    constructs.Add(new Construct(
                        CodePathKind.Branch,
                        arm,
                        armHeader,
                        () => "arm " + SyntaxUnits.Fingerprint(arm.Pattern, Renamed) + (arm.WhenClause is null ? string.Empty : SyntaxUnits.Fingerprint(arm.WhenClause, Renamed)),
                        arm.Span,
                        arm.Expression.Span,
                        Location.Create(_root.SyntaxTree, armHeader),
                        () =>
                        {
                            var armText = SyntaxUnits.Compact(arm.Pattern, 40) + (arm.WhenClause is null ? string.Empty : " " + SyntaxUnits.Compact(arm.WhenClause, 40));
                            return DescribeInMember(member, "Switch arm", armText + " =>", " arm " + armText);
                        }));
                    break;
                case CatchClauseSyntax catchClause:
                    var catchEnd = catchClause.Filter?.Span.End ?? catchClause.Declaration?.Span.End ?? catchClause.CatchKeyword.Span.End;
                    var catchHeader = TextSpan.FromBounds(catchClause.CatchKeyword.SpanStart, catchEnd);
                    constructs.Add(new Construct(
                        CodePathKind.Branch,
                        catchClause,
                        catchHeader,
                        () => "catch " + (catchClause.Declaration is null ? string.Empty : SyntaxUnits.Fingerprint(catchClause.Declaration, Renamed))
                            + (catchClause.Filter is null ? string.Empty : SyntaxUnits.Fingerprint(catchClause.Filter, Renamed)),
                        catchClause.Span,
                        catchClause.Block.Span,
                        Location.Create(_root.SyntaxTree, catchHeader),
                        () =>
                        {
                            var catchText = "catch" + (catchClause.Declaration is null ? string.Empty : " " + SyntaxUnits.Compact(catchClause.Declaration, 40));
                            return DescribeInMember(member, "Catch clause", catchText, " " + catchText);
                        }));
                    break;
                case InvocationExpressionSyntax invocation when IsEndpoint(invocation, out _, out _):
                    var endpoint = EndpointConstruct(member, invocation);
                    constructs.Add(endpoint);
                    break;
                case StatementSyntax statement:
                    units.Add(statement);
                    break;
            }
        }
    }

    /// <summary>How a branch of a member is named: "Branch 'if (x)' in 'Type.Member'", its baseline suffix, and the
    /// member's name as the flag key's seed.</summary>
    private static (string Description, string BaselineSuffix, string FlagKeySeed) DescribeInMember(SyntaxNode member, string what, string shown, string baselineSuffix) =>
        ($"{what} '{shown}' in '{SyntaxUnits.DisplayName(member)}'", baselineSuffix, SyntaxUnits.MemberName(member));

    private void AddEndpoint(SyntaxNode member, InvocationExpressionSyntax invocation) =>
        _paths.Add(EndpointConstruct(member, invocation).ToCodePath(member));

    private Construct EndpointConstruct(SyntaxNode member, InvocationExpressionSyntax invocation)
    {
        IsEndpoint(invocation, out var verb, out var route);
        var name = ((MemberAccessExpressionSyntax)invocation.Expression).Name;
        var firstArgument = invocation.ArgumentList.Arguments[0];
        var header = TextSpan.FromBounds(name.SpanStart, firstArgument.Span.End);
        var statement = invocation.Ancestors().OfType<StatementSyntax>().FirstOrDefault();
        var attribution = statement?.Span ?? invocation.Span;
        return new Construct(
            CodePathKind.Endpoint,
            invocation,
            header,
            () => "endpoint " + name.Identifier.ValueText + " " + SyntaxUnits.Fingerprint(firstArgument, Renamed),
            attribution,
            attribution,
            Location.Create(_root.SyntaxTree, header),
            () => ($"Endpoint '{verb} {route}'", $" endpoint {verb} {route}", route));
    }

    /// <summary>Recognises a minimal-API endpoint registration by shape: <c>x.MapGet("/route", handler)</c>.</summary>
    internal static bool IsEndpoint(InvocationExpressionSyntax invocation, out string verb, out string route)
    {
        verb = string.Empty;
        route = string.Empty;
        if (invocation.Expression is not MemberAccessExpressionSyntax access
            || !EndpointMethods.Contains(access.Name.Identifier.ValueText)
            || invocation.ArgumentList.Arguments.Count < 2)
        {
            return false;
        }

        var first = invocation.ArgumentList.Arguments[0].Expression;
        if (access.Name.Identifier.ValueText == "MapFallback" && first is not LiteralExpressionSyntax)
        {
            route = "(fallback)";
        }
        else
        {
            route = first is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                ? literal.Token.ValueText
                : SyntaxUnits.Compact(first, 40);
        }

        verb = access.Name.Identifier.ValueText switch
        {
            "MapGet" => "GET",
            "MapPost" => "POST",
            "MapPut" => "PUT",
            "MapDelete" => "DELETE",
            "MapPatch" => "PATCH",
            "MapMethods" => SyntaxUnits.Compact(invocation.ArgumentList.Arguments[1].Expression, 30),
            _ => "ANY",
        };
        return true;
    }

    private static bool IsControllerAction(SyntaxNode member)
    {
        if (member is not MethodDeclarationSyntax method
            || !method.Modifiers.Any(SyntaxKind.PublicKeyword)
            || method.Modifiers.Any(SyntaxKind.StaticKeyword)
            || method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "NonAction" or "NonActionAttribute"))
        {
            return false;
        }

        if (method.Parent is not ClassDeclarationSyntax type)
        {
            return false;
        }

        return type.Identifier.ValueText.EndsWith("Controller", StringComparison.Ordinal)
            || type.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "ApiController" or "ApiControllerAttribute")
            || (type.BaseList?.Types.Any(t => t.Type.ToString() is "ControllerBase" or "Controller") ?? false);
    }

    private static string MemberKindName(SyntaxNode member) => member switch
    {
        ConstructorDeclarationSyntax => "Constructor",
        AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax => "Accessor",
        OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax => "Operator",
        _ => "Method",
    };

    private static TextSpan HeaderSpan(SyntaxNode member) => member switch
    {
        BaseMethodDeclarationSyntax method => TextSpan.FromBounds(method.SpanStart, method.ParameterList.Span.End),
        AccessorDeclarationSyntax accessor => accessor.Keyword.Span,
        PropertyDeclarationSyntax property => TextSpan.FromBounds(property.SpanStart, property.Identifier.Span.End),
        IndexerDeclarationSyntax indexer => TextSpan.FromBounds(indexer.SpanStart, indexer.ParameterList.Span.End),
        _ => member.Span,
    };

    private (SyntaxNode Member, SyntaxNode Body)? FindBaseMember(SyntaxNode member, SyntaxNode body, out bool renamedOnly)
    {
        renamedOnly = false;
        if (BaseRoot is null)
        {
            return null;
        }

        if (_baseByKey is null)
        {
            _baseMembers = SyntaxUnits.ExecutableMembers(BaseRoot).ToList();
            _baseByKey = _baseMembers.GroupBy(m => SyntaxUnits.MemberKey(m.Member)).ToDictionary(g => g.Key, g => g.ToList());
            _baseByName = _baseMembers.GroupBy(m => SyntaxUnits.MemberNameKey(m.Member)).ToDictionary(g => g.Key, g => g.ToList());
        }

        if (_baseByKey.TryGetValue(SyntaxUnits.MemberKey(member), out var byKey) && byKey.Count == 1)
        {
            return byKey[0];
        }

        if (_baseByName!.TryGetValue(SyntaxUnits.MemberNameKey(member), out var byName) && byName.Count == 1)
        {
            return byName[0];
        }

        if (byKey is { Count: > 1 })
        {
            // Overloads with the same arity: the one with the same parameter list text, else the first.
            var text = SyntaxUnits.QualifiedName(member);
            return byKey.FirstOrDefault(m => SyntaxUnits.QualifiedName(m.Member) == text) is { Member: not null } match ? match : byKey[0];
        }

        // Only a member found by neither key nor name needs the fingerprints of every base body (a renamed member).
        _baseBodies ??= new HashSet<string>(_baseMembers!.Select(m => SyntaxUnits.BodyFingerprint(m.Body, Renamed)));
        if (_baseBodies.Contains(SyntaxUnits.BodyFingerprint(body, Renamed)))
        {
            renamedOnly = true;
        }

        return null;
    }

    private static List<T> SelectNew<T>(List<T> items, Func<T, bool> onAddedLines, Func<T, string> fingerprint, StringCounts? baseCounts)
    {
        var result = new List<T>();
        if (baseCounts is null)
        {
            result.AddRange(items.Where(onAddedLines));
            return result;
        }

        var remaining = baseCounts.Copy();
        var candidates = new List<(T Item, string Fingerprint)>();
        foreach (var item in items)
        {
            var print = fingerprint(item);
            if (onAddedLines(item))
            {
                candidates.Add((item, print));
            }
            else
            {
                remaining.TryTake(print);
            }
        }

        foreach (var (item, print) in candidates)
        {
            if (!remaining.TryTake(print))
            {
                result.Add(item);
            }
        }

        return result;
    }

    private bool IntersectsAdded(TextSpan span)
    {
        if (WhollyNew)
        {
            return true;
        }

        var lines = _lines.GetLinePositionSpan(span);
        return _file!.IntersectsAdded(lines);
    }

    private bool OwnTokensOnAddedLines(SyntaxNode unit)
    {
        if (WhollyNew)
        {
            return true;
        }

        foreach (var token in SyntaxUnits.Tokens(unit, node => node == unit || !SyntaxUnits.IsNestedBody(node)))
        {
            if (_file!.IsLineAdded(_lines.GetLineFromPosition(token.SpanStart).LineNumber))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> RenamedIdentifiers(SyntaxNode current, SyntaxNode baseRoot)
    {
        var now = Identifiers(current);
        var before = Identifiers(baseRoot);
        var renamed = new HashSet<string>(now, StringComparer.Ordinal);
        renamed.SymmetricExceptWith(before);
        return renamed;
    }

    private static HashSet<string> Identifiers(SyntaxNode root)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in SyntaxUnits.Tokens(root))
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                set.Add(token.ValueText);
            }
        }

        return set;
    }

    /// <summary>A branch, local function or endpoint inside a body, with what makes it recognisable across versions.</summary>
    private sealed class Construct
    {
        public Construct(
            CodePathKind kind,
            SyntaxNode node,
            TextSpan headerSpan,
            Func<string> header,
            TextSpan attributionSpan,
            TextSpan region,
            Location anchor,
            Func<(string Description, string BaselineSuffix, string FlagKeySeed)> describe)
        {
            Kind = kind;
            Node = node;
            HeaderSpan = headerSpan;
            _header = header;
            AttributionSpan = attributionSpan;
            Region = region;
            Anchor = anchor;
            _describe = describe;
        }

        public CodePathKind Kind { get; }

        public SyntaxNode Node { get; }

        public TextSpan HeaderSpan { get; }

        private readonly Func<string> _header;
        private string? _headerValue;

        /// <summary>What identifies the construct across versions; a fingerprint, computed only when compared.</summary>
        public string Header => _headerValue ??= _header();

        public TextSpan AttributionSpan { get; }

        public TextSpan Region { get; }

        public Location Anchor { get; }

        /// <summary>The message's name of the construct, the baseline key's suffix and the flag key's seed: texts
        /// made from the syntax only for a construct that is reported (most constructs collected are not new).</summary>
        private readonly Func<(string Description, string BaselineSuffix, string FlagKeySeed)> _describe;

        public CodePath ToCodePath(SyntaxNode member)
        {
            var (description, baselineSuffix, flagKeySeed) = _describe();
            return new(Kind, Node, Region, Anchor, member, description, baselineSuffix, flagKeySeed);
        }
    }
}
