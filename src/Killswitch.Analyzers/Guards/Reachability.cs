using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// C#'s reachability rules on syntax, applied conservatively: "certainly reachable" means that the node's block of
/// the member's control-flow graph is reachable; anything this does not prove (a jump or an endless loop before it, a
/// constant condition on the way, a local function) answers false, and the caller builds the graph instead.
/// </summary>
internal static class Reachability
{
    public static bool IsCertainlyReachable(SyntaxNode node, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root is CompilationUnitSyntax)
        {
            return false;
        }

        for (var current = node; current != root;)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case null:
                    return false;
                case LocalFunctionStatementSyntax:
                case DoStatementSyntax doStatement when current == doStatement.Condition:
                case ForStatementSyntax forStatement when current is ExpressionSyntax incrementor && forStatement.Incrementors.Contains(incrementor):
                    return false;
                case BlockSyntax block when !PrecedingStatementsComplete(block.Statements, current, model, cancellationToken):
                case SwitchSectionSyntax section when !PrecedingStatementsComplete(section.Statements, current, model, cancellationToken):
                case SwitchStatementSyntax switchStatement when current != switchStatement.Expression
                    && (IsConstant(switchStatement.Expression, model, cancellationToken) || HasConstantWhenClause(current, model, cancellationToken)):
                case IfStatementSyntax ifStatement when current != ifStatement.Condition && IsConstant(ifStatement.Condition, model, cancellationToken):
                case WhileStatementSyntax whileStatement when current != whileStatement.Condition && IsConstant(whileStatement.Condition, model, cancellationToken):
                case ForStatementSyntax { Condition: { } forCondition } forBody when current == forBody.Statement && IsConstant(forCondition, model, cancellationToken):
                case ConditionalExpressionSyntax conditional when current != conditional.Condition && IsConstant(conditional.Condition, model, cancellationToken):
                case BinaryExpressionSyntax binary when current == binary.Right
                    && binary.Kind() is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression or SyntaxKind.CoalesceExpression
                    && IsConstant(binary.Left, model, cancellationToken):
                case ConditionalAccessExpressionSyntax access when current == access.WhenNotNull && IsConstant(access.Expression, model, cancellationToken):
                case SwitchExpressionSyntax switchExpression when current != switchExpression.GoverningExpression
                    && (IsConstant(switchExpression.GoverningExpression, model, cancellationToken) || HasConstantWhenClause(current, model, cancellationToken)):
                case CatchClauseSyntax { Filter: { } filter } when current != filter && IsConstant(filter.FilterExpression, model, cancellationToken):
                    return false;
            }

            current = parent;
        }

        return true;
    }

    private static bool PrecedingStatementsComplete(SyntaxList<StatementSyntax> statements, SyntaxNode current, SemanticModel model, CancellationToken cancellationToken)
    {
        var index = current is StatementSyntax statement ? statements.IndexOf(statement) : -1;
        for (var i = 0; i < index; i++)
        {
            if (!CompletesNormally(statements[i], model, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the statement's end point is certainly reachable from its start.</summary>
    private static bool CompletesNormally(StatementSyntax statement, SemanticModel model, CancellationToken cancellationToken) => statement switch
    {
        LocalFunctionStatementSyntax or CommonForEachStatementSyntax => true,
        IfStatementSyntax ifStatement => !IsConstant(ifStatement.Condition, model, cancellationToken)
            && (ifStatement.Else is null || CompletesNormally(ifStatement.Statement, model, cancellationToken)
                || CompletesNormally(ifStatement.Else.Statement, model, cancellationToken)),
        WhileStatementSyntax whileStatement => !IsConstant(whileStatement.Condition, model, cancellationToken),
        ForStatementSyntax forStatement => forStatement.Condition is { } condition && !IsConstant(condition, model, cancellationToken),
        BlockSyntax block => AllComplete(block, model, cancellationToken),
        _ => !MayNotComplete(statement, model, cancellationToken),
    };

    private static bool AllComplete(BlockSyntax block, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var statement in block.Statements)
        {
            if (!CompletesNormally(statement, model, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A jump, a throw or a loop that may not end anywhere in the statement (lambdas and local functions aside).</summary>
    private static bool MayNotComplete(StatementSyntax statement, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in statement.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            switch (node)
            {
                case ReturnStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or BreakStatementSyntax or ContinueStatementSyntax
                    or GotoStatementSyntax or YieldStatementSyntax { RawKind: (int)SyntaxKind.YieldBreakStatement }:
                case WhileStatementSyntax whileStatement when IsConstant(whileStatement.Condition, model, cancellationToken):
                case DoStatementSyntax doStatement when IsConstant(doStatement.Condition, model, cancellationToken):
                case ForStatementSyntax forStatement when forStatement.Condition is null || IsConstant(forStatement.Condition, model, cancellationToken):
                    return true;
            }
        }

        return false;
    }

    private static bool HasConstantWhenClause(SyntaxNode sectionOrArm, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (sectionOrArm)
        {
            case SwitchSectionSyntax section:
                foreach (var label in section.Labels)
                {
                    if (label is CasePatternSwitchLabelSyntax { WhenClause: { } when } && IsConstant(when.Condition, model, cancellationToken))
                    {
                        return true;
                    }
                }

                return false;
            case SwitchExpressionArmSyntax { WhenClause: { } armWhen }:
                return IsConstant(armWhen.Condition, model, cancellationToken);
            default:
                return false;
        }
    }

    private static bool IsConstant(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken) =>
        model.GetConstantValue(expression, cancellationToken).HasValue;
}
