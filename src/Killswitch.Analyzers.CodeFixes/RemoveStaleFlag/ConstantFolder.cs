using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;

/// <summary>
/// One Piranha-style pass over a member: folds what the inlined flag value decides and drops the dead code. Only
/// expressions that carry <see cref="Inlined"/> (the kept value, and what was folded from it) are folded, so the
/// user's own <c>if (true)</c> stays as written. Statement rules run in the blocks that contain them, because one
/// <c>if</c> may become several statements or none.
/// </summary>
internal sealed class ConstantFolder : CSharpSyntaxRewriter
{
    /// <summary>Marks the kept value and every constant folded from it.</summary>
    public static readonly SyntaxAnnotation Inlined = new("KillswitchInlined");

    private static readonly SyntaxAnnotation EmptyMarker = new("KillswitchEmpty");
    private static readonly char[] FloatMarks = { '.', 'E', 'e' };

    private readonly SemanticModel _model;
    private readonly Dictionary<string, int> _memberNames;

    public ConstantFolder(SemanticModel model, SyntaxNode member)
    {
        _model = model;
        _memberNames = DeclaredNames(member).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
    }

    public bool Changed { get; private set; }

    /// <summary>The constant an inlined expression stands for; false when the node is not one.</summary>
    public static bool TryGetInlined(SyntaxNode? node, out object? value)
    {
        value = null;
        while (node is ParenthesizedExpressionSyntax parenthesized)
        {
            node = parenthesized.Expression;
        }

        if (node is LiteralExpressionSyntax literal && literal.HasAnnotation(Inlined))
        {
            value = literal.Token.Value;
            return true;
        }

        return false;
    }

    /// <summary>The C# literal of a kept value, marked <see cref="Inlined"/>.</summary>
    public static ExpressionSyntax Literal(object? value, ITypeSymbol? type)
    {
        value = value switch
        {
            int or short or byte or sbyte or ushort or uint => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
            float f => (double)f,
            _ => value,
        };
        ExpressionSyntax literal = value switch
        {
            bool b => SyntaxFactory.LiteralExpression(b ? SyntaxKind.TrueLiteralExpression : SyntaxKind.FalseLiteralExpression),
            string s => SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(s)),
            long l when type?.SpecialType == SpecialType.System_Double => DoubleLiteral(l),
            long l when type?.SpecialType == SpecialType.System_Int64 => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(l.ToString(CultureInfo.InvariantCulture) + "L", l)),
            long l when l is >= int.MinValue and <= int.MaxValue => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal((int)l)),
            double d => DoubleLiteral(d),
            null => SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression),
            _ => SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression),
        };
        return literal.WithAdditionalAnnotations(Inlined);
    }

    private static LiteralExpressionSyntax DoubleLiteral(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(FloatMarks) < 0)
        {
            text += ".0";
        }

        return SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(text, value));
    }

    private ExpressionSyntax Folded(SyntaxNode original, object? value, ITypeSymbol? type = null)
    {
        Changed = true;
        return Literal(value, type).WithTriviaFrom(original);
    }

    private ParenthesizedExpressionSyntax Keep(SyntaxNode original, ExpressionSyntax replacement)
    {
        Changed = true;
        return SyntaxFactory.ParenthesizedExpression(replacement.WithoutTrivia())
            .WithTriviaFrom(original)
            .WithAdditionalAnnotations(Simplifier.Annotation);
    }

    public override SyntaxNode? VisitParenthesizedExpression(ParenthesizedExpressionSyntax node)
    {
        var visited = (ParenthesizedExpressionSyntax)base.VisitParenthesizedExpression(node)!;
        return TryGetInlined(visited.Expression, out var value) ? Folded(visited, value, TypeOf(node.Expression)) : visited;
    }

    public override SyntaxNode? VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node)
    {
        var visited = (PrefixUnaryExpressionSyntax)base.VisitPrefixUnaryExpression(node)!;
        if (visited.IsKind(SyntaxKind.LogicalNotExpression) && TryGetInlined(visited.Operand, out var value) && value is bool b)
        {
            return Folded(visited, !b);
        }

        return visited;
    }

    public override SyntaxNode? VisitBinaryExpression(BinaryExpressionSyntax node)
    {
        var visited = (BinaryExpressionSyntax)base.VisitBinaryExpression(node)!;
        var leftInlined = TryGetInlined(visited.Left, out var left);
        var rightInlined = TryGetInlined(visited.Right, out var right);
        if (!leftInlined && !rightInlined)
        {
            return visited;
        }

        switch (visited.Kind())
        {
            case SyntaxKind.LogicalAndExpression:
            case SyntaxKind.LogicalOrExpression:
                var isAnd = visited.IsKind(SyntaxKind.LogicalAndExpression);
                if (leftInlined && left is bool l)
                {
                    // true && x -> x; false && x -> false (x never ran); true || x -> true; false || x -> x.
                    return l == isAnd ? Keep(visited, visited.Right) : Folded(visited, l);
                }

                if (rightInlined && right is bool r)
                {
                    // x && true -> x; x || false -> x; x && false -> false only when x has no side effect.
                    if (r == isAnd)
                    {
                        return Keep(visited, visited.Left);
                    }

                    return IsPure(visited.Left) ? Folded(visited, r) : visited;
                }

                return visited;

            case SyntaxKind.EqualsExpression:
            case SyntaxKind.NotEqualsExpression:
                if (OtherConstant(leftInlined, left, node.Left, rightInlined, right, node.Right, out var a, out var b)
                    && KeptValue.ConstantEquals(a, b) is { } equal)
                {
                    return Folded(visited, equal == visited.IsKind(SyntaxKind.EqualsExpression));
                }

                return visited;

            case SyntaxKind.LessThanExpression:
            case SyntaxKind.LessThanOrEqualExpression:
            case SyntaxKind.GreaterThanExpression:
            case SyntaxKind.GreaterThanOrEqualExpression:
                if (OtherConstant(leftInlined, left, node.Left, rightInlined, right, node.Right, out var x, out var y)
                    && x is not null && y is not null && KeptValue.IsNumber(x) && KeptValue.IsNumber(y))
                {
                    var dx = System.Convert.ToDouble(x, CultureInfo.InvariantCulture);
                    var dy = System.Convert.ToDouble(y, CultureInfo.InvariantCulture);
                    var result = visited.Kind() switch
                    {
                        SyntaxKind.LessThanExpression => dx < dy,
                        SyntaxKind.LessThanOrEqualExpression => dx <= dy,
                        SyntaxKind.GreaterThanExpression => dx > dy,
                        _ => dx >= dy,
                    };
                    return Folded(visited, result);
                }

                return visited;

            default:
                return visited;
        }
    }

    public override SyntaxNode? VisitIsPatternExpression(IsPatternExpressionSyntax node)
    {
        var visited = (IsPatternExpressionSyntax)base.VisitIsPatternExpression(node)!;
        if (TryGetInlined(visited.Expression, out var value) && Matches(value, node.Pattern) is { } matches)
        {
            return Folded(visited, matches);
        }

        return visited;
    }

    public override SyntaxNode? VisitConditionalExpression(ConditionalExpressionSyntax node)
    {
        var visited = (ConditionalExpressionSyntax)base.VisitConditionalExpression(node)!;
        if (TryGetInlined(visited.Condition, out var value) && value is bool b)
        {
            return Keep(visited, b ? visited.WhenTrue : visited.WhenFalse);
        }

        return visited;
    }

    public override SyntaxNode? VisitSwitchExpression(SwitchExpressionSyntax node)
    {
        var visited = (SwitchExpressionSyntax)base.VisitSwitchExpression(node)!;
        if (!TryGetInlined(visited.GoverningExpression, out var value))
        {
            return visited;
        }

        for (var i = 0; i < visited.Arms.Count; i++)
        {
            var arm = node.Arms[i];
            if (arm.WhenClause is not null)
            {
                return visited;
            }

            var matches = Matches(value, arm.Pattern);
            if (matches is null)
            {
                return visited;
            }

            if (matches.Value)
            {
                return Keep(visited, visited.Arms[i].Expression);
            }
        }

        return visited;
    }

    /// <summary>Whether a constant matches a pattern made of constants, <c>_</c>, <c>not</c>, <c>and</c> and <c>or</c>;
    /// null when the pattern is anything else.</summary>
    private bool? Matches(object? value, PatternSyntax pattern)
    {
        switch (pattern)
        {
            case DiscardPatternSyntax:
                return true;
            case ConstantPatternSyntax constant:
                var other = ConstantOf(constant.Expression);
                return other.HasValue ? KeptValue.ConstantEquals(value, other.Value) : null;
            case UnaryPatternSyntax { OperatorToken.RawKind: (int)SyntaxKind.NotKeyword } not:
                return Matches(value, not.Pattern) is { } inner ? !inner : null;
            case BinaryPatternSyntax binary:
                var l = Matches(value, binary.Left);
                var r = Matches(value, binary.Right);
                if (l is null || r is null)
                {
                    return null;
                }

                return binary.IsKind(SyntaxKind.AndPattern) ? l.Value && r.Value : l.Value || r.Value;
            case ParenthesizedPatternSyntax parenthesized:
                return Matches(value, parenthesized.Pattern);
            default:
                return null;
        }
    }

    private bool OtherConstant(bool leftInlined, object? left, ExpressionSyntax originalLeft, bool rightInlined, object? right, ExpressionSyntax originalRight, out object? a, out object? b)
    {
        a = left;
        b = right;
        if (leftInlined && rightInlined)
        {
            return true;
        }

        var original = leftInlined ? originalRight : originalLeft;
        var constant = ConstantOf(original);
        if (!constant.HasValue)
        {
            return false;
        }

        if (leftInlined)
        {
            b = constant.Value;
        }
        else
        {
            a = constant.Value;
        }

        return true;
    }

    /// <summary>A constant's value; the model only knows nodes of its own tree, a rewritten node falls back to its literal.</summary>
    private Optional<object?> ConstantOf(ExpressionSyntax expression)
    {
        if (expression.SyntaxTree == _model.SyntaxTree)
        {
            return _model.GetConstantValue(expression);
        }

        return expression is LiteralExpressionSyntax literal ? new Optional<object?>(literal.Token.Value) : default;
    }

    private ITypeSymbol? TypeOf(ExpressionSyntax original) =>
        original.SyntaxTree == _model.SyntaxTree ? _model.GetTypeInfo(original).Type : null;

    // Statements: a block, a switch section and an embedded statement each expand the dead-code rules.
    public override SyntaxNode? VisitBlock(BlockSyntax node)
    {
        var visited = (BlockSyntax)base.VisitBlock(node)!;
        var statements = Expand(visited.Statements);
        return statements is null ? visited : visited.WithStatements(SyntaxFactory.List(statements));
    }

    public override SyntaxNode? VisitSwitchSection(SwitchSectionSyntax node)
    {
        var visited = (SwitchSectionSyntax)base.VisitSwitchSection(node)!;
        var statements = Expand(visited.Statements);
        return statements is null ? visited : visited.WithStatements(SyntaxFactory.List(statements));
    }

    public override SyntaxNode? VisitIfStatement(IfStatementSyntax node)
    {
        var visited = (IfStatementSyntax)base.VisitIfStatement(node)!;
        if (visited.Else?.Statement is BlockSyntax { Statements.Count: 0 } empty && empty.HasAnnotation(EmptyMarker))
        {
            Changed = true;
            visited = visited.WithElse(null);
        }

        // In a block or a section the container expands it; an embedded if (`else if`, a loop body) becomes a block.
        if (node.Parent is BlockSyntax or SwitchSectionSyntax || ExpandStatement(visited) is not { } statements)
        {
            return visited;
        }

        Changed = true;
        return statements.Count == 1 && statements[0] is not LocalDeclarationStatementSyntax
            ? statements[0].WithTriviaFrom(visited)
            : SyntaxFactory.Block(statements).WithTriviaFrom(visited).WithAdditionalAnnotations(Formatter.Annotation, EmptyMarker);
    }

    /// <summary>The expanded statement list, or null when nothing changed.</summary>
    private List<StatementSyntax>? Expand(SyntaxList<StatementSyntax> statements)
    {
        var result = new List<StatementSyntax>();
        var changed = false;
        SyntaxTriviaList? removedTrivia = null;
        foreach (var statement in statements)
        {
            var replacement = ExpandStatement(statement);
            if (replacement is null)
            {
                // The statement after a removed one takes its place: its indentation and comments, not its blank line.
                result.Add(removedTrivia is { } trivia ? statement.WithLeadingTrivia(trivia.AddRange(WithoutLeadingLayout(statement.GetLeadingTrivia()))) : statement);
                removedTrivia = null;
                continue;
            }

            changed = true;
            if (replacement.Count == 0)
            {
                removedTrivia ??= statement.GetLeadingTrivia();
                continue;
            }

            replacement[0] = replacement[0].WithLeadingTrivia((removedTrivia ?? statement.GetLeadingTrivia()).AddRange(WithoutLeadingLayout(replacement[0].GetLeadingTrivia())));
            removedTrivia = null;
            result.AddRange(replacement.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)));
        }

        // Code after a return, throw, break, continue or goto is unreachable (CS0162, an error with warnings as errors).
        for (var i = 0; i < result.Count - 1; i++)
        {
            if (result[i] is ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax
                || result[i] is YieldStatementSyntax { RawKind: (int)SyntaxKind.YieldBreakStatement })
            {
                var rest = result.Skip(i + 1).ToList();
                if (rest.Any(s => s is LabeledStatementSyntax))
                {
                    break;
                }

                var kept = rest.Where(s => s is LocalFunctionStatementSyntax).ToList();
                if (kept.Count != rest.Count)
                {
                    changed = true;
                    result = result.Take(i + 1).Concat(kept).ToList();
                }

                break;
            }
        }

        if (changed)
        {
            Changed = true;
        }

        return changed ? result : null;
    }

    /// <summary>Leading trivia without the line breaks and indentation before the first comment or directive.</summary>
    private static IEnumerable<SyntaxTrivia> WithoutLeadingLayout(SyntaxTriviaList trivia) =>
        trivia.SkipWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia));

    /// <summary>What one statement becomes once the flag value is known; null when it stays.</summary>
    private List<StatementSyntax>? ExpandStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case IfStatementSyntax @if when TryGetInlined(@if.Condition, out var value) && value is bool condition:
                if (condition)
                {
                    return Splice(@if.Statement);
                }

                return @if.Else is null ? new List<StatementSyntax>() : Splice(@if.Else.Statement);

            case ExpressionStatementSyntax expression when TryGetInlined(expression.Expression, out _):
                // `await flags.GetBooleanValueAsync(...);` evaluated for nothing: `true;` would not compile.
                return new List<StatementSyntax>();

            case SwitchStatementSyntax @switch when TryGetInlined(@switch.Expression, out var selector):
                return SwitchSection(@switch, selector);

            default:
                return null;
        }
    }

    private List<StatementSyntax>? SwitchSection(SwitchStatementSyntax @switch, object? selector)
    {
        SwitchSectionSyntax? match = null;
        SwitchSectionSyntax? fallback = null;
        foreach (var section in @switch.Sections)
        {
            foreach (var label in section.Labels)
            {
                switch (label)
                {
                    case DefaultSwitchLabelSyntax:
                        fallback = section;
                        break;
                    case CaseSwitchLabelSyntax @case:
                        var constant = ConstantOf(@case.Value);
                        if (!constant.HasValue)
                        {
                            return null;
                        }

                        if (match is null && KeptValue.ConstantEquals(selector, constant.Value) == true)
                        {
                            match = section;
                        }

                        break;
                    case CasePatternSwitchLabelSyntax { WhenClause: null } pattern when Matches(selector, pattern.Pattern) is { } matches:
                        if (match is null && matches)
                        {
                            match = section;
                        }

                        break;
                    default:
                        return null;
                }
            }
        }

        match ??= fallback;
        if (match is null)
        {
            return new List<StatementSyntax>();
        }

        var statements = match.Statements.ToList();
        if (statements.Count == 1 && statements[0] is BlockSyntax only)
        {
            statements = only.Statements.ToList();
        }

        if (statements.Count > 0 && statements[statements.Count - 1] is BreakStatementSyntax)
        {
            statements.RemoveAt(statements.Count - 1);
        }

        // A break left inside (not in a nested loop or switch) would now leave an enclosing loop; goto case has no target.
        if (statements.Any(s => s.DescendantNodesAndSelf(n => n is not (ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or SwitchStatementSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax) || n == s)
                .Any(n => n is BreakStatementSyntax || (n is GotoStatementSyntax @goto && !@goto.IsKind(SyntaxKind.GotoStatement)))))
        {
            return null;
        }

        return SpliceAll(statements);
    }

    private List<StatementSyntax> Splice(StatementSyntax statement) =>
        statement is BlockSyntax block ? SpliceAll(block.Statements.ToList()) : new List<StatementSyntax> { statement };

    /// <summary>The statements of a block in its parent's place, unless one of its locals would clash with a
    /// name declared elsewhere in the member (CS0128/CS0136): then the block stays a block.</summary>
    private List<StatementSyntax> SpliceAll(List<StatementSyntax> statements)
    {
        var inner = statements.SelectMany(DeclaredNames).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        if (inner.Any(pair => _memberNames.TryGetValue(pair.Key, out var count) && count > pair.Value))
        {
            return new List<StatementSyntax> { SyntaxFactory.Block(statements).WithAdditionalAnnotations(Formatter.Annotation) };
        }

        return statements;
    }

    /// <summary>Every local, pattern variable and local function name declared in a node.</summary>
    internal static IEnumerable<string> DeclaredNames(SyntaxNode node) =>
        node.DescendantNodesAndSelf().Select(n => n switch
        {
            VariableDeclaratorSyntax declarator => declarator.Identifier.ValueText,
            SingleVariableDesignationSyntax designation => designation.Identifier.ValueText,
            LocalFunctionStatementSyntax function => function.Identifier.ValueText,
            ForEachStatementSyntax forEach => forEach.Identifier.ValueText,
            CatchDeclarationSyntax { Identifier.RawKind: not 0 } @catch => @catch.Identifier.ValueText,
            ParameterSyntax parameter => parameter.Identifier.ValueText,
            _ => null,
        }).Where(n => n is not null)!;

    /// <summary>True for an expression without side effects, which a fold may drop.</summary>
    internal static bool IsPure(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax or IdentifierNameSyntax or ThisExpressionSyntax or DefaultExpressionSyntax => true,
        ParenthesizedExpressionSyntax p => IsPure(p.Expression),
        MemberAccessExpressionSyntax m => IsPure(m.Expression),
        PrefixUnaryExpressionSyntax u => u.IsKind(SyntaxKind.LogicalNotExpression) || u.IsKind(SyntaxKind.UnaryMinusExpression) ? IsPure(u.Operand) : false,
        BinaryExpressionSyntax b => IsPure(b.Left) && IsPure(b.Right),
        IsPatternExpressionSyntax i => IsPure(i.Expression),
        _ => false,
    };
}
