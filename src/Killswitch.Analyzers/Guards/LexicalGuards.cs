using System.Collections.Generic;
using System.Threading;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// Proves the common guarded shapes of a member that evaluates a flag on its operation tree, without a control-flow
/// graph: code lexically inside the "flag on" branch of <c>if (await client.GetBooleanValueAsync("k", false))</c>,
/// or after an early exit <c>if (!await fm.IsEnabledAsync("k")) return;</c> in the same block, is in blocks of the
/// graph that only the flag-on edge enters (C# has no jump into a block from outside it, and members with labels are
/// left to the graph); the rest of the region must hold nothing the dataflow would count as behaviour.
/// </summary>
/// <remarks>
/// One-sided: it answers "guarded" or "not proven", never "unguarded", and the caller builds the graph whenever it is
/// not proven, so answers never change. It proves nothing it cannot see as the graph sees it: a guard condition or a
/// flag evaluation whose evaluation the graph would split into several blocks (<c>&amp;&amp;</c>, <c>??</c>, <c>?.</c>,
/// <c>?:</c>, lambdas, initializers: only plain names, calls, literals and <c>await</c> are accepted), a local
/// holding the flag, a loop, and any operation outside a short list of plain ones in the unguarded part of the region
/// (behaviour, foreach/using/lock and other constructs the graph lowers to calls) all fall back to the graph. The
/// opposite proof, <see cref="HasCertainlyUnguardedBehaviour"/>, is one-sided the same way ("unguarded" or "not
/// proven").
/// </remarks>
internal sealed class LexicalGuards
{
    private readonly GuardEvaluator _evaluator;
    private readonly HashSet<SyntaxNode> _withJumpTargets = new();
    private readonly HashSet<SyntaxNode> _withoutJumpTargets = new();
    private (SyntaxTree? Tree, bool HasGoto) _gotoScreen;

    // Guards by their bits (ConditionGuard.Bits), boxed: a dictionary with values of a struct of this assembly, or of
    // ints, is generic code no precompiled image holds (the runtime compiled it in every build); one with reference
    // values is shared, precompiled code (docs/performance.md).
    private readonly Dictionary<IConditionalOperation, object> _ifGuards = new();
    // Syntax nodes, not their spans: a list of TextSpan is generic code over a struct that no precompiled image holds,
    // compiled by the runtime in every build's compiler process; one of references is shared, precompiled code.
    private readonly Dictionary<IOperation, (List<SyntaxNode> Flags, List<SyntaxNode> Locals)> _spans = new();

    // Per body, its plainly declared locals written exactly once (initializer or assignment), with the value written.
    private readonly Dictionary<IOperation, Dictionary<ILocalSymbol, IOperation>> _singleWrites = new();

    public LexicalGuards(GuardEvaluator evaluator)
    {
        _evaluator = evaluator;
    }

    /// <summary>
    /// True when every behaviour of the region runs only with a flag on, proven without a graph (the member's own
    /// flow, unguarded entry). False means "not proven", not "unguarded". The caller excludes local functions.
    /// </summary>
    public bool IsRegionGuarded(IOperation body, SyntaxNode root, TextSpan region)
    {
        if (root is CompilationUnitSyntax || HasJumpTargets(root))
        {
            return false;
        }

        return Visit(body, region, body);
    }

    /// <summary>
    /// True when the region holds behaviour that the graph, with an unguarded entry, certainly finds in a reachable
    /// unguarded block: a call or creation (not a flag evaluation) whose statement lies in the region, reached from
    /// the member's entry only through blocks, try blocks, branches of if statements, the first pass of loop bodies
    /// and switch sections whose conditions, headers and labels read no flag (nor a local that may hold one), with no flag
    /// evaluated on the way (before it in any enclosing block, in an enclosing condition, or elsewhere in its own
    /// statement: a flag evaluated inside the call itself, as in <c>if (flags.GetBooleanValueAsync(..).GetAwaiter()
    /// .GetResult())</c>, is not a condition yet). False means "not proven"; then the graph decides.
    /// </summary>
    public bool HasCertainlyUnguardedBehaviour(IOperation body, SyntaxNode root, TextSpan region, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root is CompilationUnitSyntax || HasJumpTargets(root)
            || (root is ConstructorDeclarationSyntax { Initializer: { } initializer } && AnyFlagEvaluation(Spans(body).Flags, initializer.Span, except: default)))
        {
            return false; // a constructor initializer runs first: one that evaluates a flag is left to the graph
        }

        foreach (var operation in RegionOperations.Within(body, region))
        {
            if (GuardEvaluator.IsBehaviourOperation(operation)
                && !(operation is IInvocationOperation invocation
                    && (_evaluator.IsFlagEvaluation(invocation) || invocation.TargetMethod.Name == "ConfigureAwait"))
                && IsOnUnguardedPath(operation.Syntax, root, body, region)
                && Reachability.IsCertainlyReachable(operation.Syntax, root, model, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsOnUnguardedPath(SyntaxNode behaviour, SyntaxNode root, IOperation body, TextSpan region)
    {
        if (!IsPlainExpression(behaviour))
        {
            return false; // its own evaluation could branch on a flag evaluated inside it
        }

        var (flags, locals) = Spans(body);
        SyntaxNode? unit = null; // the statement (or if condition) the graph evaluates the behaviour in
        for (SyntaxNode current = behaviour; current.Parent is { } parent; current = parent)
        {
            if (unit is null)
            {
                switch (parent)
                {
                    case IfStatementSyntax ifStatement when current == ifStatement.Condition:
                    case ExpressionStatementSyntax or LocalDeclarationStatementSyntax or ReturnStatementSyntax or ThrowStatementSyntax:
                    case ArrowExpressionClauseSyntax:
                        unit = parent is IfStatementSyntax ifUnit ? ifUnit.Condition : parent is ArrowExpressionClauseSyntax arrow ? arrow.Expression : parent;
                        if (!region.Contains(unit.Span) || AnyFlagEvaluation(flags, unit.Span, except: behaviour.Span))
                        {
                            return false;
                        }

                        if (parent is ArrowExpressionClauseSyntax)
                        {
                            return parent.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax;
                        }

                        continue;
                    case InvocationExpressionSyntax or ArgumentListSyntax or ArgumentSyntax or MemberAccessExpressionSyntax
                        or AwaitExpressionSyntax or ParenthesizedExpressionSyntax or CastExpressionSyntax or EqualsValueClauseSyntax
                        or VariableDeclaratorSyntax or VariableDeclarationSyntax or ObjectCreationExpressionSyntax:
                    case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression }:
                    case ElementAccessExpressionSyntax or BracketedArgumentListSyntax:
                    case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression or (int)SyntaxKind.AddAssignmentExpression
                        or (int)SyntaxKind.SubtractAssignmentExpression or (int)SyntaxKind.MultiplyAssignmentExpression }:
                    case BinaryExpressionSyntax binary when current == binary.Left
                        || binary.Kind() is not (SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression or SyntaxKind.CoalesceExpression):
                        continue; // evaluated whenever the statement is
                    default:
                        return false;
                }
            }

            switch (parent)
            {
                case BlockSyntax block:
                    if (FlagEvaluatedBefore(block.Statements, current))
                    {
                        return false; // a flag evaluated before it on the way could guard it
                    }

                    if (block.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax)
                    {
                        return true;
                    }

                    break;
                case ElseClauseSyntax:
                    break; // its if statement is checked next
                case IfStatementSyntax ifStatement when current == ifStatement.Statement || current == ifStatement.Else:
                    if (ReadsFlag(ifStatement.Condition.Span))
                    {
                        return false;
                    }

                    break;
                case TryStatementSyntax tryStatement when current == tryStatement.Block:
                    break;

                // A loop body's first pass is entered from before the loop: through a header free of flags, unguarded.
                case ForStatementSyntax forStatement when current == forStatement.Statement:
                    if (AnyFlagEvaluation(flags, TextSpan.FromBounds(forStatement.OpenParenToken.SpanStart, forStatement.CloseParenToken.Span.End), except: default)
                        || (forStatement.Condition is { } forCondition && ReadsFlag(forCondition.Span)))
                    {
                        return false;
                    }

                    break;
                case WhileStatementSyntax whileStatement when current == whileStatement.Statement:
                    if (ReadsFlag(whileStatement.Condition.Span))
                    {
                        return false;
                    }

                    break;
                case CommonForEachStatementSyntax forEach when current == forEach.Statement:
                    if (ReadsFlag(forEach.Expression.Span))
                    {
                        return false;
                    }

                    break;
                case DoStatementSyntax doStatement when current == doStatement.Statement:
                    break;

                // A switch section is entered from a dispatch on a value that is no flag's, by labels that read none.
                case SwitchSectionSyntax section:
                    if (FlagEvaluatedBefore(section.Statements, current)
                        || ReadsFlag(TextSpan.FromBounds(section.Labels[0].SpanStart, section.Labels[section.Labels.Count - 1].Span.End)))
                    {
                        return false;
                    }

                    break;
                case SwitchStatementSyntax switchStatement when current is SwitchSectionSyntax:
                    if (ReadsFlag(switchStatement.Expression.Span))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return false;

        // A flag evaluation, or a read of a local that may hold a flag's value, in the span.
        bool ReadsFlag(TextSpan span) => AnyFlagEvaluation(flags, span, except: default) || AnyFlagEvaluation(locals, span, except: default);

        // A flag evaluated in a statement before the current one of the same list.
        bool FlagEvaluatedBefore(SyntaxList<StatementSyntax> statements, SyntaxNode current)
        {
            foreach (var statement in statements)
            {
                if (statement == current)
                {
                    return false;
                }

                if (AnyFlagEvaluation(flags, statement.Span, except: default))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The calls in a body that evaluate a flag (every flag value the dataflow knows starts at one), and the
    /// reads of its locals that may hold a flag value: every local except those declared by a plain declaration and
    /// only ever written (initializer, assignment, compound assignment, <c>++</c>/<c>--</c>) with values that evaluate
    /// no flag and read no such local. The dataflow gives a local a flag value only from its assignments' values, so
    /// a condition on the others is no flag condition to it either (a <c>ref</c> or <c>out</c> argument is no
    /// assignment to it); a local declared or written any other way (<c>out var</c>, deconstruction, <c>foreach</c>, a
    /// pattern, <c>&amp;</c>) counts as one that may. One walk of the body's operations collects all of it (three walks
    /// before: a tenth of KS1001's time on the generated project, docs/performance.md).
    /// </summary>
    private (List<SyntaxNode> Flags, List<SyntaxNode> Locals) Spans(IOperation body)
    {
        if (_spans.TryGetValue(body, out var spans))
        {
            return spans;
        }

        var flags = new List<SyntaxNode>();
        var plain = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var written = new List<(ILocalSymbol Local, IOperation? Value)>();
        var references = new List<ILocalReferenceOperation>();
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    if (_evaluator.IsFlagEvaluation(invocation))
                    {
                        flags.Add(operation.Syntax);
                    }

                    break;
                case IVariableDeclaratorOperation declarator when declarator.Parent is IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation } declaration
                    && !declarator.Symbol.IsRef:
                    plain.Add(declarator.Symbol);
                    if ((declarator.Initializer ?? declaration.Initializer)?.Value is { } initial)
                    {
                        written.Add((declarator.Symbol, initial));
                    }

                    break;
                case ILocalReferenceOperation local:
                    references.Add(local);
                    switch (local.Parent)
                    {
                        case IAssignmentOperation assignment when assignment.Target == local:
                            written.Add((local.Local, assignment is IDeconstructionAssignmentOperation ? null : assignment.Value));
                            break;
                        case IIncrementOrDecrementOperation:
                        case IArgumentOperation:
                            break; // a ref or out argument is no assignment to the dataflow: it gives the local no flag value
                        case ITupleOperation:
                        case IAddressOfOperation:
                            written.Add((local.Local, null));
                            break;
                    }

                    break;
            }
        }

        var singleWrites = new Dictionary<ILocalSymbol, IOperation>(SymbolEqualityComparer.Default);
        var writtenTwice = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var (local, value) in written)
        {
            if (value is not null && plain.Contains(local) && !writtenTwice.Contains(local) && !singleWrites.ContainsKey(local))
            {
                singleWrites.Add(local, value);
            }
            else
            {
                writtenTwice.Add(local);
                singleWrites.Remove(local);
            }
        }

        _singleWrites[body] = singleWrites;

        var maybe = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var reference in references)
        {
            if (!plain.Contains(reference.Local))
            {
                maybe.Add(reference.Local);
            }
        }

        // A value makes its local a candidate when it evaluates a flag or reads a candidate: spread until nothing changes.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (local, value) in written)
            {
                if (!maybe.Contains(local) && (value is null || CarriesFlag(value, maybe)))
                {
                    maybe.Add(local);
                    changed = true;
                }
            }
        }

        var locals = new List<SyntaxNode>();
        foreach (var reference in references)
        {
            if (maybe.Contains(reference.Local))
            {
                locals.Add(reference.Syntax);
            }
        }

        spans = (flags, locals);
        _spans[body] = spans;
        return spans;
    }

    /// <summary>
    /// A switch statement over a flag's variant, as the graph sees it: its value is a string, number or object flag
    /// evaluation (or a plainly declared local written once, with one), and every label is a constant
    /// (<c>case "x":</c>) or <c>default</c>, with at least one constant, so that every section is entered through a
    /// comparison of the variant. The value written must read no local and not branch, so that the graph classifies it
    /// as this does.
    /// </summary>
    private bool IsVariantSwitch(ISwitchOperation switchOperation, IOperation body)
    {
        var constants = 0;
        foreach (var section in switchOperation.Cases)
        {
            foreach (var clause in section.Clauses)
            {
                if (clause is ISingleValueCaseClauseOperation)
                {
                    constants++;
                }
                else if (clause is not IDefaultCaseClauseOperation)
                {
                    return false;
                }
            }
        }

        if (constants == 0)
        {
            return false;
        }

        var value = GuardEvaluator.Unwrap(switchOperation.Value);
        if (value is ILocalReferenceOperation local)
        {
            Spans(body);
            if (!_singleWrites[body].TryGetValue(local.Local, out var written))
            {
                return false;
            }

            value = written;
        }

        return IsPlainExpression(value.Syntax) && !ReadsLocal(value) && _evaluator.FlagValue(value, null, 0) == FlagEvaluationKind.Variant;
    }

    private bool CarriesFlag(IOperation value, HashSet<ILocalSymbol> maybe)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if ((operation is IInvocationOperation invocation && _evaluator.IsFlagEvaluation(invocation))
                || (operation is ILocalReferenceOperation local && maybe.Contains(local.Local)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyFlagEvaluation(List<SyntaxNode> flags, TextSpan within, TextSpan except)
    {
        foreach (var node in flags)
        {
            var span = node.Span;
            if (within.Contains(span) && !(except.Length > 0 && except.Contains(span)))
            {
                return true;
            }
        }

        return false;
    }

    private bool Visit(IOperation operation, TextSpan region, IOperation body)
    {
        if (!RegionOperations.MayMeet(operation, region))
        {
            return true; // nothing of the region below: every branch of the walk below would answer true
        }

        var inRegion = region.Contains(operation.Syntax.Span);
        switch (operation)
        {
            case IConditionalOperation { Syntax: IfStatementSyntax } ifOperation:
                {
                    var guard = IfGuard(ifOperation);
                    if (!Visit(ifOperation.Condition, region, body))
                    {
                        return false;
                    }

                    // The graph lets an early exit on a flag condition return or throw anything (IsEarlyExitOnFlagOff).
                    var whenTrueGuarded = guard.OnTrue || (guard.IsFlagCondition && ifOperation.WhenFalse is null && IsPlainExit(ifOperation));
                    return (whenTrueGuarded || Visit(ifOperation.WhenTrue, region, body))
                        && (ifOperation.WhenFalse is null || guard.OnFalse || Visit(ifOperation.WhenFalse, region, body));
                }

            case IBlockOperation block:
                foreach (var statement in block.Operations)
                {
                    if (statement.Syntax.SpanStart > region.End)
                    {
                        return true; // the rest lies after the region
                    }

                    if (!Visit(statement, region, body))
                    {
                        return false;
                    }

                    if (IsEarlyExitOnFlagOff(statement))
                    {
                        return true; // the block's later statements are entered only through the flag-on edge
                    }
                }

                return true;

            case ISwitchOperation switchOperation when IsVariantSwitch(switchOperation, body):
                // Each section is entered through a comparison of a flag's variant with its labels (default: through
                // the last comparison's false edge), and the graph counts both outcomes of such a comparison as
                // flag-controlled: everything in the sections is guarded. What follows the switch is proven apart.
                return Visit(switchOperation.Value, region, body);

            case IInvocationOperation invocation when inRegion:
                // A flag evaluation is no behaviour to the dataflow, which does not look inside it; the graph sees it
                // whole only when nothing in it branches.
                return _evaluator.IsFlagEvaluation(invocation) && IsPlainExpression(invocation.Syntax);
        }

        if (inRegion && !IsPlainOperation(operation))
        {
            return false;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (!Visit(child, region, body))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How an if statement's condition guards its branches, as the graph's condition block would say.</summary>
    private ConditionGuard IfGuard(IConditionalOperation ifOperation)
    {
        if (_ifGuards.TryGetValue(ifOperation, out var bits))
        {
            return ConditionGuard.FromBits((int)bits);
        }

        var guard = ConditionGuard.None;
        if (IsPlainExpression(ifOperation.Condition.Syntax) && !ReadsLocal(ifOperation.Condition))
        {
            guard = _evaluator.Condition(ifOperation.Condition, null);
        }

        _ifGuards[ifOperation] = guard.Bits;
        return guard;
    }

    /// <summary>
    /// <c>if (!flag) return/throw/continue/break;</c> (or a block ending in one) without else: the statements after
    /// it in the same block are reached only when the flag is on.
    /// </summary>
    private bool IsEarlyExitOnFlagOff(IOperation statement) =>
        statement is IConditionalOperation { Syntax: IfStatementSyntax { Else: null } ifSyntax } ifOperation
        && IfGuard(ifOperation).OnFalse
        && EndsWithExit(ifSyntax.Statement);

    private static bool EndsWithExit(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax or ThrowStatementSyntax or ContinueStatementSyntax or BreakStatementSyntax => true,
        BlockSyntax { Statements.Count: > 0 } block => EndsWithExit(block.Statements[block.Statements.Count - 1]),
        _ => false,
    };

    /// <summary>
    /// <c>if (flag) return X;</c> / <c>throw X;</c> where the graph gives the return or throw a block of its own whose
    /// only predecessor is the condition: outside try/using/lock/foreach/fixed and with a plain value.
    /// </summary>
    private static bool IsPlainExit(IConditionalOperation ifOperation)
    {
        var ifSyntax = (IfStatementSyntax)ifOperation.Syntax;
        var exit = ifSyntax.Statement is BlockSyntax { Statements.Count: 1 } single ? single.Statements[0] : ifSyntax.Statement;
        var value = exit switch
        {
            ReturnStatementSyntax { Expression: { } returned } => returned,
            ThrowStatementSyntax { Expression: { } thrown } => thrown,
            _ => null,
        };
        if (value is null || !IsPlainExpression(value))
        {
            return false;
        }

        foreach (var ancestor in ifSyntax.Ancestors())
        {
            switch (ancestor)
            {
                case TryStatementSyntax or CatchClauseSyntax or FinallyClauseSyntax or UsingStatementSyntax or LockStatementSyntax
                    or CommonForEachStatementSyntax or FixedStatementSyntax or AnonymousFunctionExpressionSyntax
                    or LocalFunctionStatementSyntax:
                    return false;
                case LocalDeclarationStatementSyntax:
                    return false;
                case BlockSyntax block:
                    foreach (var sibling in block.Statements)
                    {
                        if (sibling is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 })
                        {
                            return false; // a using declaration makes the rest of the block a try/finally
                        }
                    }

                    break;
                case MemberDeclarationSyntax:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An expression the graph evaluates in one piece: names, member access, calls, literals, await, casts, <c>!</c>,
    /// comparisons and object creations without initializers. Anything that branches (<c>&amp;&amp;</c>,
    /// <c>||</c>, <c>??</c>, <c>?.</c>, <c>?:</c>, switch and throw expressions), holds a lambda, or is lowered to
    /// other operations (initializers, interpolated strings, collection expressions, <c>with</c>) is not.
    /// </summary>
    private static bool IsPlainExpression(SyntaxNode expression)
    {
        // A lambda is a value here: its body runs elsewhere, in a graph of its own.
        foreach (var node in expression.DescendantNodesAndSelf(n => n == expression || n is not AnonymousFunctionExpressionSyntax))
        {
            switch (node.Kind())
            {
                case SyntaxKind.SimpleLambdaExpression when node != expression:
                case SyntaxKind.ParenthesizedLambdaExpression when node != expression:
                case SyntaxKind.AnonymousMethodExpression when node != expression:
                // Arithmetic, comparisons, indexing, ranges and array or anonymous-object creation: no branch in the graph.
                case SyntaxKind.AddExpression:
                case SyntaxKind.SubtractExpression:
                case SyntaxKind.MultiplyExpression:
                case SyntaxKind.DivideExpression:
                case SyntaxKind.ModuloExpression:
                case SyntaxKind.LessThanExpression:
                case SyntaxKind.LessThanOrEqualExpression:
                case SyntaxKind.GreaterThanExpression:
                case SyntaxKind.GreaterThanOrEqualExpression:
                case SyntaxKind.UnaryMinusExpression:
                case SyntaxKind.UnaryPlusExpression:
                case SyntaxKind.ElementAccessExpression:
                case SyntaxKind.BracketedArgumentList:
                case SyntaxKind.RangeExpression:
                case SyntaxKind.IndexExpression:
                case SyntaxKind.ArrayCreationExpression:
                case SyntaxKind.ArrayType:
                case SyntaxKind.ArrayRankSpecifier:
                case SyntaxKind.OmittedArraySizeExpression:
                case SyntaxKind.AnonymousObjectCreationExpression:
                case SyntaxKind.AnonymousObjectMemberDeclarator:
                case SyntaxKind.NameEquals:
                case SyntaxKind.IdentifierName:
                case SyntaxKind.GenericName:
                case SyntaxKind.QualifiedName:
                case SyntaxKind.AliasQualifiedName:
                case SyntaxKind.PredefinedType:
                case SyntaxKind.TypeArgumentList:
                case SyntaxKind.SimpleMemberAccessExpression:
                case SyntaxKind.InvocationExpression:
                case SyntaxKind.ArgumentList:
                case SyntaxKind.Argument:
                case SyntaxKind.NameColon:
                case SyntaxKind.StringLiteralExpression:
                case SyntaxKind.NumericLiteralExpression:
                case SyntaxKind.CharacterLiteralExpression:
                case SyntaxKind.TrueLiteralExpression:
                case SyntaxKind.FalseLiteralExpression:
                case SyntaxKind.NullLiteralExpression:
                case SyntaxKind.DefaultLiteralExpression:
                case SyntaxKind.DefaultExpression:
                case SyntaxKind.TypeOfExpression:
                case SyntaxKind.AwaitExpression:
                case SyntaxKind.ParenthesizedExpression:
                case SyntaxKind.CastExpression:
                case SyntaxKind.ThisExpression:
                case SyntaxKind.BaseExpression:
                case SyntaxKind.LogicalNotExpression:
                case SyntaxKind.EqualsExpression:
                case SyntaxKind.NotEqualsExpression:
                    continue;
                case SyntaxKind.ObjectCreationExpression when ((ObjectCreationExpressionSyntax)node).Initializer is null:
                    continue;
                case SyntaxKind.ImplicitObjectCreationExpression when ((ImplicitObjectCreationExpressionSyntax)node).Initializer is null:
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool ReadsLocal(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is ILocalReferenceOperation)
            {
                return true; // the graph classifies a local from its assignments in the graph: not proven here
            }
        }

        return false;
    }

    /// <summary>
    /// Operations of the unguarded part of a region that the graph keeps as they are and the dataflow does not count
    /// as behaviour. Not here: calls (but flag evaluations), creations, throws, event subscriptions, lambdas, local
    /// functions, foreach/using/lock/deconstruction/with and anything else the graph may lower to calls.
    /// </summary>
    private static bool IsPlainOperation(IOperation operation)
    {
        switch (operation.Kind)
        {
            case OperationKind.Block:
            case OperationKind.VariableDeclarationGroup:
            case OperationKind.VariableDeclaration:
            case OperationKind.VariableDeclarator:
            case OperationKind.VariableInitializer:
            case OperationKind.ExpressionStatement:
            case OperationKind.SimpleAssignment:
            case OperationKind.CompoundAssignment:
            case OperationKind.Increment:
            case OperationKind.Decrement:
            case OperationKind.Literal:
            case OperationKind.LocalReference:
            case OperationKind.ParameterReference:
            case OperationKind.FieldReference:
            case OperationKind.PropertyReference:
            case OperationKind.InstanceReference:
            case OperationKind.ArrayElementReference:
            case OperationKind.Conversion:
            case OperationKind.Binary:
            case OperationKind.Unary:
            case OperationKind.Conditional:
            case OperationKind.Coalesce:
            case OperationKind.ConditionalAccess:
            case OperationKind.ConditionalAccessInstance:
            case OperationKind.Return:
            case OperationKind.Await:
            case OperationKind.Argument:
            case OperationKind.Empty:
            case OperationKind.Branch:
            case OperationKind.DefaultValue:
            case OperationKind.TypeOf:
            case OperationKind.NameOf:
            case OperationKind.SizeOf:
            case OperationKind.IsType:
            case OperationKind.IsPattern:
            case OperationKind.ConstantPattern:
            case OperationKind.DeclarationPattern:
            case OperationKind.TypePattern:
            case OperationKind.RelationalPattern:
            case OperationKind.NegatedPattern:
            case OperationKind.BinaryPattern:
            case OperationKind.DiscardPattern:
            case OperationKind.MethodBody:
                return true;
            case OperationKind.Loop:
                return operation is not IForEachLoopOperation;
            default:
                return false;
        }
    }

    /// <summary>Labels make blocks enterable by goto; such members are left to the graph. A file without "goto" has
    /// none to jump with (one text search per file instead of a walk over every member's nodes).</summary>
    private bool HasJumpTargets(SyntaxNode root)
    {
        var tree = root.SyntaxTree;
        if (_gotoScreen.Tree != tree)
        {
            _gotoScreen = (tree, TextSearch.Contains(tree.GetText(), "goto"));
        }

        if (!_gotoScreen.HasGoto || _withoutJumpTargets.Contains(root))
        {
            return false;
        }

        if (_withJumpTargets.Contains(root))
        {
            return true;
        }

        foreach (var node in root.DescendantNodes())
        {
            if (node is LabeledStatementSyntax or GotoStatementSyntax)
            {
                _withJumpTargets.Add(root);
                return true;
            }
        }

        _withoutJumpTargets.Add(root);
        return false;
    }
}
