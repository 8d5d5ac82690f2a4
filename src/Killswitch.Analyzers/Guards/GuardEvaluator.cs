using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Guards;

/// <summary>Which outcomes of a condition imply that a flag is on (or selected a variant).</summary>
internal readonly struct ConditionGuard
{
    public static readonly ConditionGuard None = new(false, false);
    public static readonly ConditionGuard WhenTrue = new(true, false);
    public static readonly ConditionGuard WhenFalse = new(false, true);
    public static readonly ConditionGuard Both = new(true, true);

    public ConditionGuard(bool onTrue, bool onFalse)
    {
        OnTrue = onTrue;
        OnFalse = onFalse;
    }

    public bool OnTrue { get; }

    public bool OnFalse { get; }

    public bool IsFlagCondition => OnTrue || OnFalse;

    public ConditionGuard Negate() => new(OnFalse, OnTrue);

    /// <summary>The guard as an int (1: on true, 2: on false), for caches keyed by operation.</summary>
    public int Bits => (OnTrue ? 1 : 0) | (OnFalse ? 2 : 0);

    public static ConditionGuard FromBits(int bits) => new((bits & 1) != 0, (bits & 2) != 0);
}

/// <summary>
/// Runs the guard dataflow over control-flow graphs and answers "is every behaviour in this span guarded?".
/// One instance per analysed syntax tree; graphs and local classifications are cached.
/// </summary>
internal sealed class GuardEvaluator
{
    private const int MaxWrapperDepth = 2;

    private readonly FlagApi _api;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<ILocalSymbol, FlagEvaluationKind> _locals = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, FlagEvaluationKind> _wrappers = new(SymbolEqualityComparer.Default);
    private readonly Compilation _compilation;

    public GuardEvaluator(FlagApi api, Compilation compilation, CancellationToken cancellationToken)
    {
        _api = api;
        _compilation = compilation;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Number of graphs analysed (for the benchmark's telemetry).</summary>
    public int GraphsAnalysed { get; private set; }

    /// <summary>Runs the must-dataflow: a block is guarded when every incoming edge is guarded.</summary>
    public FlowGuards Analyze(ControlFlowGraph graph, bool entryGuarded, FlowGuards? parent)
    {
        GraphsAnalysed++;
        var flow = new FlowGuards(graph, entryGuarded, parent);
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (operation is IFlowCaptureOperation capture)
                {
                    if (!flow.Captures.TryGetValue(capture.Id, out var values))
                    {
                        values = new List<IOperation>();
                        flow.Captures[capture.Id] = values;
                    }

                    values.Add(capture.Value);
                }
            }
        }

        var guarded = flow.Guarded;
        for (var i = 0; i < guarded.Length; i++)
        {
            guarded[i] = true;
        }

        guarded[0] = entryGuarded;
        var changed = true;
        while (changed)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            changed = false;
            for (var i = 1; i < graph.Blocks.Length; i++)
            {
                var block = graph.Blocks[i];
                bool value;
                if (!block.IsReachable)
                {
                    value = true;
                }
                else if (block.Predecessors.IsEmpty)
                {
                    value = HandlerEntryGuard(block, flow);
                }
                else
                {
                    value = true;
                    foreach (var predecessor in block.Predecessors)
                    {
                        if (!guarded[predecessor.Source.Ordinal] && !IsFlagOnEdge(predecessor, flow))
                        {
                            value = false;
                            break;
                        }
                    }
                }

                if (value != guarded[i])
                {
                    guarded[i] = value;
                    changed = true;
                }
            }
        }

        return flow;
    }

    /// <summary>
    /// True when every behaviour (call, creation, throw, await) inside <paramref name="region"/> of the graph runs
    /// only with a flag on. Lambdas created in unguarded blocks are checked on their own graphs; early exits on the
    /// "flag off" side of a guard (<c>if (!on) return NotFound();</c>) are allowed.
    /// </summary>
    public bool IsRegionGuarded(FlowGuards flow, TextSpan region, out IOperation? unguarded)
    {
        unguarded = null;
        foreach (var block in flow.Graph.Blocks)
        {
            if (!block.IsReachable)
            {
                continue;
            }

            var blockGuarded = flow.Guarded[block.Ordinal];
            var earlyExit = !blockGuarded && IsEarlyExitOnFlagOff(block, flow);
            foreach (var operation in block.Operations)
            {
                if (region.Contains(operation.Syntax.Span) && !IsOperationGuarded(operation, blockGuarded, flow, out unguarded))
                {
                    return false;
                }
            }

            if (block.BranchValue is { } branchValue && region.Contains(branchValue.Syntax.Span)
                && !IsOperationGuarded(branchValue, blockGuarded || earlyExit, flow, out unguarded))
            {
                return false;
            }
        }

        foreach (var local in flow.Graph.LocalFunctions)
        {
            var declaration = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);
            if (declaration is null || !region.Contains(declaration.Span))
            {
                continue;
            }

            var localFlow = Analyze(flow.Graph.GetLocalFunctionControlFlowGraph(local, _cancellationToken), CallSitesGuarded(flow, local), flow);
            if (!IsRegionGuarded(localFlow, declaration.Span, out unguarded))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the graph decides on a flag somewhere (a conditional branch on a flag condition).</summary>
    public bool ContainsFlagDecision(FlowGuards flow)
    {
        foreach (var block in flow.Graph.Blocks)
        {
            if (block.ConditionKind != ControlFlowConditionKind.None && block.BranchValue is { } value && Condition(value, flow).IsFlagCondition)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Descends from a graph into the lambda or local function whose body holds the span.</summary>
    public FlowGuards Locate(FlowGuards flow, TextSpan span)
    {
        while (true)
        {
            FlowGuards? inner = null;
            foreach (var local in flow.Graph.LocalFunctions)
            {
                var declaration = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);
                if (declaration is LocalFunctionStatementSyntax statement
                    && ((SyntaxNode?)statement.Body ?? statement.ExpressionBody) is { } body && body.Span.Contains(span))
                {
                    inner = Analyze(flow.Graph.GetLocalFunctionControlFlowGraph(local, _cancellationToken), CallSitesGuarded(flow, local), flow);
                    break;
                }
            }

            if (inner is null)
            {
                foreach (var (lambda, block) in AnonymousFunctions(flow))
                {
                    if (lambda.Syntax.Span.Contains(span) && lambda.Syntax.Span != span)
                    {
                        inner = Analyze(flow.Graph.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken), flow.Guarded[block.Ordinal], flow);
                        break;
                    }
                }
            }

            if (inner is null)
            {
                return flow;
            }

            flow = inner;
        }
    }

    /// <summary>Whether the block of the graph that evaluates the given syntax runs only with a flag on.</summary>
    public static bool IsPositionGuarded(FlowGuards flow, TextSpan span)
    {
        foreach (var block in flow.Graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (operation.Syntax.Span.Contains(span))
                {
                    return flow.Guarded[block.Ordinal];
                }
            }

            if (block.BranchValue is { } value && value.Syntax.Span.Contains(span))
            {
                return flow.Guarded[block.Ordinal];
            }
        }

        return flow.EntryGuarded;
    }

    /// <summary>Returns how a condition guards its outcomes.</summary>
    public ConditionGuard Condition(IOperation operation, FlowGuards? flow)
    {
        operation = Unwrap(operation);
        switch (operation)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Condition(not.Operand, flow).Negate();
            case IBinaryOperation binary:
                switch (binary.OperatorKind)
                {
                    case BinaryOperatorKind.ConditionalAnd:
                    case BinaryOperatorKind.And when IsBoolean(binary.Type):
                        {
                            var left = Condition(binary.LeftOperand, flow);
                            var right = Condition(binary.RightOperand, flow);
                            return new ConditionGuard(left.OnTrue || right.OnTrue, left.OnFalse && right.OnFalse);
                        }

                    case BinaryOperatorKind.ConditionalOr:
                    case BinaryOperatorKind.Or when IsBoolean(binary.Type):
                        {
                            var left = Condition(binary.LeftOperand, flow);
                            var right = Condition(binary.RightOperand, flow);
                            return new ConditionGuard(left.OnTrue && right.OnTrue, left.OnFalse || right.OnFalse);
                        }

                    case BinaryOperatorKind.Equals:
                    case BinaryOperatorKind.NotEquals:
                        {
                            var guard = Comparison(binary.LeftOperand, binary.RightOperand, flow);
                            if (!guard.IsFlagCondition)
                            {
                                guard = Comparison(binary.RightOperand, binary.LeftOperand, flow);
                            }

                            return binary.OperatorKind == BinaryOperatorKind.NotEquals ? guard.Negate() : guard;
                        }
                }

                return ConditionGuard.None;
            case IIsPatternOperation pattern:
                return Pattern(pattern.Value, pattern.Pattern, flow);
            default:
                return FlagValue(operation, flow, 0) switch
                {
                    FlagEvaluationKind.Boolean => ConditionGuard.WhenTrue,
                    FlagEvaluationKind.Variant => ConditionGuard.Both,
                    _ => ConditionGuard.None,
                };
        }
    }

    private ConditionGuard Comparison(IOperation value, IOperation other, FlowGuards? flow)
    {
        if (!Unwrap(other).ConstantValue.HasValue)
        {
            return ConditionGuard.None;
        }

        var constant = Unwrap(other).ConstantValue.Value;
        var kind = FlagValue(value, flow, 0);
        if (kind == FlagEvaluationKind.Variant)
        {
            // Comparing a variant selects variants: every outcome is flag-controlled.
            return ConditionGuard.Both;
        }

        var guard = kind == FlagEvaluationKind.Boolean ? ConditionGuard.WhenTrue : Condition(value, flow);
        return constant switch
        {
            true => guard,
            false => guard.Negate(),
            _ => ConditionGuard.None,
        };
    }

    private ConditionGuard Pattern(IOperation value, IPatternOperation pattern, FlowGuards? flow)
    {
        switch (pattern)
        {
            case INegatedPatternOperation negated:
                return Pattern(value, negated.Pattern, flow).Negate();
            case IConstantPatternOperation constant:
                var kind = FlagValue(value, flow, 0);
                if (kind == FlagEvaluationKind.Variant)
                {
                    return ConditionGuard.Both;
                }

                var guard = kind == FlagEvaluationKind.Boolean ? ConditionGuard.WhenTrue : Condition(value, flow);
                return Unwrap(constant.Value).ConstantValue switch
                {
                    { HasValue: true, Value: true } => guard,
                    { HasValue: true, Value: false } => guard.Negate(),
                    _ => ConditionGuard.None,
                };
            default:
                return FlagValue(value, flow, 0) == FlagEvaluationKind.Variant ? ConditionGuard.Both : ConditionGuard.None;
        }
    }

    /// <summary>Whether the operation's value comes from a flag evaluation, and of which kind.</summary>
    public FlagEvaluationKind FlagValue(IOperation operation, FlowGuards? flow, int depth)
    {
        operation = Unwrap(operation);
        FlagEvaluationKind origin;
        switch (operation)
        {
            case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaited }:
                // flags.GetBooleanValueAsync(...).ConfigureAwait(false), as CA2007 asks library code to write.
                origin = FlagValue(awaited, flow, depth);
                break;
            case IInvocationOperation invocation:
                origin = _api.Classify(invocation.TargetMethod);
                if (origin == FlagEvaluationKind.None && invocation.Instance is { } instance)
                {
                    origin = FlagValue(instance, flow, depth) == FlagEvaluationKind.None ? FlagEvaluationKind.None : FlagEvaluationKind.Variant;
                }

                if (origin == FlagEvaluationKind.None)
                {
                    origin = Wrapper(invocation.TargetMethod, depth);
                }

                break;
            case IAwaitOperation await:
                return FlagValue(await.Operation, flow, depth);
            case IPropertyReferenceOperation { Instance: { } receiver }:
                origin = FlagValue(receiver, flow, depth);
                break;
            case ILocalReferenceOperation local:
                origin = Local(local.Local, flow);
                break;
            case IFlowCaptureReferenceOperation capture:
                origin = Capture(capture.Id, flow, depth);
                break;
            case ICoalesceOperation coalesce:
                origin = FlagValue(coalesce.Value, flow, depth);
                break;
            case IConditionalAccessOperation conditionalAccess:
                origin = FlagValue(conditionalAccess.Operation, flow, depth);
                break;
            default:
                return FlagEvaluationKind.None;
        }

        if (origin == FlagEvaluationKind.None)
        {
            return FlagEvaluationKind.None;
        }

        return IsBooleanish(operation.Type) ? FlagEvaluationKind.Boolean : FlagEvaluationKind.Variant;
    }

    /// <summary>
    /// True when a call in the operation tree evaluates a flag (the flag API, a configured guard method, a wrapper).
    /// Every flag value <see cref="FlagValue"/> recognises starts at such a call, so without one no condition of the
    /// tree's graphs is a flag condition and every reachable block has the guard of the graph's entry.
    /// </summary>
    public bool EvaluatesFlag(IOperation body)
    {
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation invocation
                && (_api.Classify(invocation.TargetMethod) != FlagEvaluationKind.None || Wrapper(invocation.TargetMethod, 0) != FlagEvaluationKind.None))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The calls <see cref="HasBehaviour"/> does not count as behaviour (nor looks inside): the flag API, a configured
    /// guard method, a wrapper, and <c>ConfigureAwait</c> on a flag evaluation, here without reading locals (the
    /// dataflow classifies a local from its assignments in a graph; this answers false instead).
    /// </summary>
    public bool IsFlagEvaluation(IInvocationOperation invocation)
    {
        if (_api.Classify(invocation.TargetMethod) != FlagEvaluationKind.None || Wrapper(invocation.TargetMethod, 0) != FlagEvaluationKind.None)
        {
            return true;
        }

        return invocation.TargetMethod.Name == "ConfigureAwait" && invocation.Instance is { } awaited
            && !awaited.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any() && FlagValue(awaited, null, 0) != FlagEvaluationKind.None;
    }

    /// <summary>Operations <see cref="HasBehaviour"/> counts as behaviour in any context (no flag evaluation among them).</summary>
    public static bool IsBehaviourOperation(IOperation operation) =>
        operation is IInvocationOperation or IObjectCreationOperation or IDynamicInvocationOperation or IDynamicObjectCreationOperation
            or IEventAssignmentOperation;

    /// <summary>True when the operation contains behaviour that is not itself a flag evaluation.</summary>
    public bool HasBehaviour(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                if (_api.Classify(invocation.TargetMethod) != FlagEvaluationKind.None || Wrapper(invocation.TargetMethod, 0) != FlagEvaluationKind.None
                    || (invocation.TargetMethod.Name == "ConfigureAwait" && invocation.Instance is { } awaited && FlagValue(awaited, null, 0) != FlagEvaluationKind.None))
                {
                    return false;
                }

                return true;
            case IObjectCreationOperation or IDynamicInvocationOperation or IDynamicObjectCreationOperation
                or IThrowOperation or IEventAssignmentOperation:
                return true;
            case IFlowAnonymousFunctionOperation:
                return false;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (HasBehaviour(child))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsOperationGuarded(IOperation operation, bool blockGuarded, FlowGuards flow, out IOperation? unguarded)
    {
        unguarded = null;
        if (blockGuarded)
        {
            return true;
        }

        if (HasBehaviour(operation))
        {
            unguarded = operation;
            return false;
        }

        foreach (var lambda in operation.DescendantsAndSelf().OfType<IFlowAnonymousFunctionOperation>())
        {
            var lambdaFlow = Analyze(flow.Graph.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken), false, flow);
            if (!IsRegionGuarded(lambdaFlow, lambda.Syntax.Span, out unguarded))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsFlagOnEdge(ControlFlowBranch branch, FlowGuards flow)
    {
        var source = branch.Source;
        if (source.ConditionKind == ControlFlowConditionKind.None || source.BranchValue is null)
        {
            return false;
        }

        var guard = Condition(source.BranchValue, flow);
        if (!guard.IsFlagCondition)
        {
            return false;
        }

        var jumpsWhenTrue = source.ConditionKind == ControlFlowConditionKind.WhenTrue;
        var valueIsTrue = branch.IsConditionalSuccessor ? jumpsWhenTrue : !jumpsWhenTrue;
        return valueIsTrue ? guard.OnTrue : guard.OnFalse;
    }

    private bool IsEarlyExitOnFlagOff(BasicBlock block, FlowGuards flow)
    {
        if (block.FallThroughSuccessor is not { Semantics: ControlFlowBranchSemantics.Return or ControlFlowBranchSemantics.Throw }
            || block.Predecessors.IsEmpty)
        {
            return false;
        }

        foreach (var operation in block.Operations)
        {
            if (HasBehaviour(operation))
            {
                return false;
            }
        }

        foreach (var predecessor in block.Predecessors)
        {
            var source = predecessor.Source;
            if (source.ConditionKind == ControlFlowConditionKind.None || source.BranchValue is null
                || !Condition(source.BranchValue, flow).IsFlagCondition)
            {
                return false;
            }
        }

        return true;
    }

    private static bool HandlerEntryGuard(BasicBlock block, FlowGuards flow)
    {
        // Catch and finally handlers have no explicit predecessors: they run when the try did.
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler
                or ControlFlowRegionKind.Finally
                && region.EnclosingRegion is { } tryAndHandler && tryAndHandler.NestedRegions.Length > 0)
            {
                return flow.Guarded[tryAndHandler.NestedRegions[0].FirstBlockOrdinal];
            }
        }

        return flow.EntryGuarded;
    }

    private static bool CallSitesGuarded(FlowGuards flow, IMethodSymbol local)
    {
        var found = false;
        foreach (var block in flow.Graph.Blocks)
        {
            foreach (var operation in block.Operations.Concat(block.BranchValue is null ? Enumerable.Empty<IOperation>() : new[] { block.BranchValue }))
            {
                foreach (var descendant in operation.DescendantsAndSelf())
                {
                    var target = descendant switch
                    {
                        IInvocationOperation invocation => invocation.TargetMethod,
                        IMethodReferenceOperation reference => reference.Method,
                        _ => null,
                    };
                    if (target is not null && SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, local.OriginalDefinition))
                    {
                        if (!flow.Guarded[block.Ordinal])
                        {
                            return false;
                        }

                        found = true;
                    }
                }
            }
        }

        return found;
    }

    private static IEnumerable<(IFlowAnonymousFunctionOperation Lambda, BasicBlock Block)> AnonymousFunctions(FlowGuards flow)
    {
        foreach (var block in flow.Graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var lambda in operation.DescendantsAndSelf().OfType<IFlowAnonymousFunctionOperation>())
                {
                    yield return (lambda, block);
                }
            }

            if (block.BranchValue is { } value)
            {
                foreach (var lambda in value.DescendantsAndSelf().OfType<IFlowAnonymousFunctionOperation>())
                {
                    yield return (lambda, block);
                }
            }
        }
    }

    private FlagEvaluationKind Capture(CaptureId id, FlowGuards? flow, int depth)
    {
        for (var current = flow; current is not null; current = current.Parent)
        {
            if (current.Captures.TryGetValue(id, out var values))
            {
                var kind = FlagEvaluationKind.None;
                foreach (var value in values)
                {
                    var valueKind = FlagValue(value, current, depth);
                    if (valueKind == FlagEvaluationKind.None)
                    {
                        return FlagEvaluationKind.None;
                    }

                    kind = valueKind;
                }

                return kind;
            }
        }

        return FlagEvaluationKind.None;
    }

    private FlagEvaluationKind Local(ILocalSymbol local, FlowGuards? flow)
    {
        if (_locals.TryGetValue(local, out var cached))
        {
            return cached;
        }

        // Provisional answer while the local's assignments are classified (breaks cycles).
        _locals[local] = FlagEvaluationKind.None;
        var kind = FlagEvaluationKind.None;
        var assigned = false;
        for (var current = flow; current is not null; current = current.Parent)
        {
            foreach (var block in current.Graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var assignment in operation.DescendantsAndSelf().OfType<IAssignmentOperation>())
                    {
                        if (assignment.Target is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local))
                        {
                            var valueKind = assignment is ISimpleAssignmentOperation simple ? FlagValue(simple.Value, current, 0) : FlagEvaluationKind.None;
                            if (valueKind == FlagEvaluationKind.None)
                            {
                                return FlagEvaluationKind.None;
                            }

                            kind = valueKind;
                            assigned = true;
                        }
                    }
                }
            }
        }

        kind = assigned ? kind : FlagEvaluationKind.None;
        _locals[local] = kind;
        return kind;
    }

    /// <summary>A source method whose body just returns a flag evaluation counts as one (one or two levels deep).</summary>
    private FlagEvaluationKind Wrapper(IMethodSymbol method, int depth)
    {
        if (depth >= MaxWrapperDepth || method.DeclaringSyntaxReferences.Length != 1 || method.MethodKind != MethodKind.Ordinary)
        {
            return FlagEvaluationKind.None;
        }

        method = method.OriginalDefinition;
        if (_wrappers.TryGetValue(method, out var cached))
        {
            return cached;
        }

        _wrappers[method] = FlagEvaluationKind.None;
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken);
        ExpressionSyntax? returned = syntax switch
        {
            MethodDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            MethodDeclarationSyntax { Body.Statements: { Count: 1 } statements } when statements[0] is ReturnStatementSyntax { Expression: { } value } => value,
            LocalFunctionStatementSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            _ => null,
        };

        var kind = FlagEvaluationKind.None;
        if (returned is not null && ReturnsFlagLikeCall(returned) && _compilation.ContainsSyntaxTree(returned.SyntaxTree))
        {
#pragma warning disable RS1030 // The wrapper's body lives in another tree; this is bounded to two levels per wrapper.
            var model = _compilation.GetSemanticModel(returned.SyntaxTree);
#pragma warning restore RS1030
            if (model.GetOperation(returned, _cancellationToken) is { } operation)
            {
                kind = FlagValue(operation, null, depth + 1);
            }
        }

        _wrappers[method] = kind;
        return kind;
    }

    /// <summary>
    /// The syntactic screen before binding another file: a wrapper's body must end in a call whose name a flag API
    /// uses (<c>GetBooleanValueAsync</c>, <c>IsEnabledAsync</c>, <c>*Variation*</c>, a configured guard method).
    /// Without it every call to a one-line source method would bind that method's file.
    /// </summary>
    private bool ReturnsFlagLikeCall(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case AwaitExpressionSyntax await:
                    expression = await.Expression;
                    continue;
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    continue;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Value" } access:
                    expression = access.Expression;
                    continue;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure }:
                    expression = configure.Expression;
                    continue;
                case InvocationExpressionSyntax invocation:
                    var name = invocation.Expression switch
                    {
                        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                        SimpleNameSyntax simple => simple.Identifier.ValueText,
                        _ => null,
                    };
                    return name is not null && _api.MayEvaluateFlagOrWrap(name);
                default:
                    return false;
            }
        }
    }

    /// <summary>The operation under its conversions and parentheses.</summary>
    internal static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    private static bool IsBoolean(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Boolean;

    private static bool IsBooleanish(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.SpecialType == SpecialType.System_Boolean)
        {
            return true;
        }

        return type is INamedTypeSymbol { IsGenericType: true } named
            && named.Name is "Task" or "ValueTask" or "Nullable" or "ConfiguredTaskAwaitable" or "ConfiguredValueTaskAwaitable"
            && named.TypeArguments[0].SpecialType == SpecialType.System_Boolean;
    }
}
