using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// Decides whether a new code path is behind a feature flag: opt-outs, gate attributes and endpoint gates first
/// (symbols only), then the flow analysis of the member that holds it, following calls into new private and
/// internal members.
/// </summary>
internal sealed class GuardResolver
{
    private const string OptOutMarker = "killswitch:";
    private const int MaxCallDepth = 3;
    private readonly FlagApi _api;
    private readonly GuardEvaluator _evaluator;
    private readonly SemanticModel _model;
    private readonly CallSiteIndex _callSites;
    private readonly GraphCache _graphs;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<(SyntaxNode Root, bool EntryGuarded), FlowGuards?> _flows = new();
    // Sets and reference values, not dictionaries of bools or tuples: those are generic code no precompiled image holds,
    // which the runtime compiled in every build's fresh compiler process (docs/performance.md).
    private readonly HashSet<SyntaxNode> _guardedEntries = new();
    private readonly HashSet<SyntaxNode> _unguardedEntries = new();
    private readonly Dictionary<SyntaxNode, MemberBody> _bodies = new();
    private readonly LexicalGuards _lexical;
    private bool? _mayHoldOptOutComment;
    private readonly HashSet<SyntaxNode> _computing = new();

    public GuardResolver(FlagApi api, SemanticModel model, CallSiteIndex callSites, GraphCache graphs, CancellationToken cancellationToken)
    {
        _api = api;
        _model = model;
        _callSites = callSites;
        _graphs = graphs;
        _cancellationToken = cancellationToken;
        _evaluator = new GuardEvaluator(api, model.Compilation, cancellationToken);
        _lexical = new LexicalGuards(_evaluator);
    }

    public bool IsGuarded(CodePath path)
    {
        // Looking for the comment walks the trivia of every statement and declaration around the path: a file without
        // "killswitch:" in it has none (one text search per file instead).
        _mayHoldOptOutComment ??= TextSearch.Contains(_model.SyntaxTree.GetText(_cancellationToken), OptOutMarker);
        if (_mayHoldOptOutComment.Value && HasOptOutComment(path.Node))
        {
            return true;
        }

        if (path.ExecutableRoot is null)
        {
            return false;
        }

        var symbol = DeclaredSymbol(path.ExecutableRoot, _model);
        if (symbol is not null && (IsGatedOrOptedOut(symbol) || (path.Node is LocalFunctionStatementSyntax local && IsLocalGatedOrOptedOut(local))))
        {
            return true;
        }

        if (path.Kind == CodePathKind.Endpoint && path.Node is InvocationExpressionSyntax invocation)
        {
            return RootFlow(path.ExecutableRoot, _model, 0) is { } flow && IsEndpointGuarded(invocation, flow);
        }

        return IsRegionGuarded(path.ExecutableRoot, path.Region);
    }

    /// <summary>
    /// The guard dataflow is monotone in the entry guard (a guarded entry can only guard more blocks), so a region
    /// guarded with an unguarded entry is guarded whatever the callers do, and the callers (following calls: call-site
    /// search, binding and graphs of other members) are looked at only for a region that is unguarded without them.
    /// A guarded entry guards every block of the graph, so then only a local function (judged by its own call sites)
    /// needs the graph again. In a member that evaluates no flag every reachable block has the entry's guard: reachable
    /// behaviour in the region makes it unguarded without callers, and no graph is built (docs/performance.md). In a
    /// member that does evaluate a flag, the common guarded shapes (the region inside <c>if (flag) { ... }</c> or after
    /// <c>if (!flag) return;</c>) are proven on the operation tree (<see cref="LexicalGuards"/>), and the graph is
    /// built only when they are not.
    /// </summary>
    private bool IsRegionGuarded(SyntaxNode root, TextSpan region)
    {
        var touchesLocalFunction = OverlapsLocalFunction(root, region);
        if (!touchesLocalFunction && Body(root, _model) is { Body: { } body } member)
        {
            if (!member.EvaluatesFlag)
            {
                switch (RegionBehaviour(body, root, region))
                {
                    case Behaviour.None:
                        return true; // nothing a flag would have to guard: the dataflow finds no unguarded operation either
                    case Behaviour.Reachable:
                        return EntryGuarded(root, _model, 0);
                }
            }
            else if (_lexical.IsRegionGuarded(body, root, region))
            {
                return true; // the graph, with an unguarded entry, would say so too
            }
            else if (_lexical.HasCertainlyUnguardedBehaviour(body, root, region, _model, _cancellationToken))
            {
                return EntryGuarded(root, _model, 0); // unguarded without callers, as the graph would find
            }
        }

        if (Flow(root, _model, entryGuarded: false) is not { } own)
        {
            return false;
        }

        if (_evaluator.IsRegionGuarded(_evaluator.Locate(own, region), region, out _))
        {
            return true;
        }

        return EntryGuarded(root, _model, 0)
            && (!touchesLocalFunction || _evaluator.IsRegionGuarded(_evaluator.Locate(Flow(root, _model, entryGuarded: true)!, region), region, out _));
    }

    /// <summary>Whether a call site in a caller's body runs only with a flag on (or only when the caller is guarded).</summary>
    private bool IsPositionGuarded(SyntaxNode root, SyntaxNode site, SemanticModel model, int depth)
    {
        var inLocalFunction = site.Ancestors().TakeWhile(a => a != root).Any(a => a is LocalFunctionStatementSyntax);
        if (!inLocalFunction && Body(root, model) is { Body: not null, EvaluatesFlag: false } && Reachability.IsCertainlyReachable(site, root, model, _cancellationToken))
        {
            return EntryGuarded(root, model, depth);
        }

        if (Flow(root, model, entryGuarded: false) is not { } own)
        {
            return false;
        }

        if (GuardEvaluator.IsPositionGuarded(_evaluator.Locate(own, site.Span), site.Span))
        {
            return true;
        }

        return EntryGuarded(root, model, depth)
            && (!inLocalFunction || GuardEvaluator.IsPositionGuarded(_evaluator.Locate(Flow(root, model, entryGuarded: true)!, site.Span), site.Span));
    }

    /// <summary>The root's body operation (null when it has none, and then no graph either) and whether a call in it evaluates a flag.</summary>
    private MemberBody Body(SyntaxNode root, SemanticModel model)
    {
        if (!_bodies.TryGetValue(root, out var member))
        {
            var body = GraphCache.BodyOperation(root, model, _cancellationToken);
            member = new MemberBody(body, body is not null && _evaluator.EvaluatesFlag(body));
            _bodies[root] = member;
        }

        return member;
    }

    private sealed class MemberBody
    {
        public MemberBody(IOperation? body, bool evaluatesFlag)
        {
            Body = body;
            EvaluatesFlag = evaluatesFlag;
        }

        public IOperation? Body { get; }

        public bool EvaluatesFlag { get; }
    }

    /// <summary>
    /// What the region of a flag-free member does, as the dataflow would see it: behaviour (the dataflow's own test)
    /// that the graph certainly reaches, or none at all. Unknown when behaviour may be unreachable, or when the graph
    /// would add calls the operation tree does not show (foreach, using, lock, deconstruction, unsupported code).
    /// </summary>
    private Behaviour RegionBehaviour(IOperation body, SyntaxNode root, TextSpan region)
    {
        var answer = Behaviour.None;
        foreach (var operation in RegionOperations.Within(body, region))
        {
            if (GuardEvaluator.IsBehaviourOperation(operation))
            {
                if (Reachability.IsCertainlyReachable(operation.Syntax, root, _model, _cancellationToken))
                {
                    return Behaviour.Reachable;
                }

                answer = Behaviour.Unknown;
            }
            else if (operation is IForEachLoopOperation or IUsingOperation or IUsingDeclarationOperation or ILockOperation
                or IDeconstructionAssignmentOperation || operation.Kind == OperationKind.None)
            {
                answer = Behaviour.Unknown;
            }
        }

        return answer;
    }

    private enum Behaviour
    {
        None,
        Reachable,
        Unknown,
    }

    private static bool OverlapsLocalFunction(SyntaxNode root, TextSpan region)
    {
        foreach (var node in root.DescendantNodes(n => n.Span.OverlapsWith(region)))
        {
            if (node is LocalFunctionStatementSyntax && node.Span.OverlapsWith(region))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsLocalGatedOrOptedOut(LocalFunctionStatementSyntax local) =>
        _model.GetDeclaredSymbol(local, _cancellationToken) is { } symbol && (_api.HasGateAttribute(symbol) || _api.HasOptOutAttribute(symbol));

    private bool IsEndpointGuarded(InvocationExpressionSyntax invocation, FlowGuards flow)
    {
        // app.MapGet(...).WithFeatureGate("x") and the like.
        for (SyntaxNode node = invocation; node.Parent is MemberAccessExpressionSyntax access && access.Parent is InvocationExpressionSyntax outer; node = outer)
        {
            if (_model.GetOperation(outer, _cancellationToken) is IInvocationOperation gate && FlagApi.IsEndpointGate(gate))
            {
                return true;
            }
        }

        var registration = _evaluator.Locate(flow, invocation.Span);
        if (GuardEvaluator.IsPositionGuarded(registration, invocation.Span))
        {
            return true;
        }

        var handler = invocation.ArgumentList.Arguments.Last().Expression;
        if (handler is AnonymousFunctionExpressionSyntax lambda)
        {
            var body = lambda.Body;
            var lambdaFlow = _evaluator.Locate(flow, body.Span);
            // A handler without any flag decision is not "guarded" just because it does nothing: the route is new.
            return lambdaFlow != flow && _evaluator.ContainsFlagDecision(lambdaFlow) && _evaluator.IsRegionGuarded(lambdaFlow, body.Span, out _);
        }

        var info = _model.GetSymbolInfo(handler, _cancellationToken);
        if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is IMethodSymbol method)
        {
            if (IsGatedOrOptedOut(method))
            {
                return true;
            }

            var declaration = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);
            if (declaration is BaseMethodDeclarationSyntax { } target && ((SyntaxNode?)target.Body ?? target.ExpressionBody) is { } targetBody
                && RootFlow(target, ModelFor(target.SyntaxTree), 0) is { } handlerFlow)
            {
                return _evaluator.ContainsFlagDecision(handlerFlow) && _evaluator.IsRegionGuarded(handlerFlow, targetBody.Span, out _);
            }
        }

        return false;
    }

    private bool IsGatedOrOptedOut(ISymbol symbol)
    {
        for (var current = symbol; current is not null && current is not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (_api.HasGateAttribute(current) || _api.HasOptOutAttribute(current))
            {
                return true;
            }

            if (current is IMethodSymbol { AssociatedSymbol: { } property } && (_api.HasGateAttribute(property) || _api.HasOptOutAttribute(property)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The flow of a root with its callers' guard at the entry (endpoints and their handlers).</summary>
    private FlowGuards? RootFlow(SyntaxNode root, SemanticModel model, int depth) =>
        _computing.Contains(root) || Flow(root, model, entryGuarded: false) is null ? null : Flow(root, model, EntryGuarded(root, model, depth));

    private FlowGuards? Flow(SyntaxNode root, SemanticModel model, bool entryGuarded)
    {
        if (_flows.TryGetValue((root, entryGuarded), out var cached))
        {
            return cached;
        }

        var graph = _graphs.GetOrCreate(root, model, _cancellationToken);
        var flow = graph is null ? null : _evaluator.Analyze(graph, entryGuarded, null);
        _flows[(root, entryGuarded)] = flow;
        return flow;
    }

    /// <summary>Whether every call of the root's member (a new private or internal method) runs only with a flag on.</summary>
    private bool EntryGuarded(SyntaxNode root, SemanticModel model, int depth)
    {
        if (_guardedEntries.Contains(root))
        {
            return true;
        }

        if (_unguardedEntries.Contains(root))
        {
            return false;
        }

        if (!_computing.Add(root))
        {
            return false;
        }

        try
        {
            // Only a new member's callers are all new too (so all visible in changed files): follow calls for those.
            var guarded = DeclaredSymbol(root, model) is IMethodSymbol method && depth <= MaxCallDepth && _callSites.IsNewDeclaration(root)
                && AllUsesGuarded(method, depth);
            (guarded ? _guardedEntries : _unguardedEntries).Add(root);
            return guarded;
        }
        finally
        {
            _computing.Remove(root);
        }
    }

    private bool AllUsesGuarded(IMethodSymbol method, int depth)
    {
        if (!_api.Options.FollowCalls || !IsEffectivelyInternal(method) || method.MethodKind != MethodKind.Ordinary || IsReachedByDispatch(method))
        {
            return false;
        }

        IEnumerable<SyntaxTree> trees = method.DeclaredAccessibility == Accessibility.Private
            ? method.ContainingType.DeclaringSyntaxReferences.Select(r => r.SyntaxTree).Distinct()
            : method.ContainingType.DeclaringSyntaxReferences.Select(r => r.SyntaxTree).Concat(_callSites.SearchTrees).Distinct();

        var found = false;
        foreach (var tree in trees)
        {
            var model = ModelFor(tree);
            foreach (var name in _callSites.Find(tree, method.Name, _cancellationToken))
            {
                var info = model.GetSymbolInfo(name, _cancellationToken);
                var target = info.Symbol as IMethodSymbol ?? info.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
                if (target is null || !SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method.OriginalDefinition))
                {
                    continue;
                }

                var root = ExecutableRootOf(name);
                if (root is null)
                {
                    return false;
                }

                var caller = DeclaredSymbol(root, model);
                if (SymbolEqualityComparer.Default.Equals(caller, method))
                {
                    continue; // recursion does not make a method reachable
                }

                if (caller is not null && IsGatedOrOptedOut(caller))
                {
                    found = true;
                    continue;
                }

                // A caller whose own callers are being followed counts as unguarded (a cycle reaches nothing new).
                if (_computing.Contains(root) || !IsPositionGuarded(root, name, model, depth + 1))
                {
                    return false;
                }

                found = true;
            }
        }

        return found;
    }

    private SemanticModel ModelFor(SyntaxTree tree)
    {
        if (tree == _model.SyntaxTree)
        {
            return _model;
        }

        return _callSites.Model(tree);
    }

    /// <summary>
    /// An override, or the implementation of an interface member: calls through the base or the interface run it
    /// without naming it, so its call sites cannot all be found and its callers do not guard it (searching for its
    /// name would also bind every call of the interface member, e.g. every flag evaluation of a client type).
    /// </summary>
    private static bool IsReachedByDispatch(IMethodSymbol method)
    {
        if (method.IsOverride)
        {
            return true;
        }

        foreach (var @interface in method.ContainingType.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsEffectivelyInternal(ISymbol symbol)
    {
        for (var current = symbol; current is not null && current is not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
            {
                return true;
            }
        }

        return false;
    }

    private ISymbol? DeclaredSymbol(SyntaxNode root, SemanticModel model) => root switch
    {
        CompilationUnitSyntax => null,
        _ => model.GetDeclaredSymbol(root, _cancellationToken) switch
        {
            IPropertySymbol property => (ISymbol?)property.GetMethod ?? property,
            var other => other,
        },
    };

    internal static SyntaxNode? ExecutableRootOf(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax:
                    return ancestor;
                case PropertyDeclarationSyntax { ExpressionBody: not null } or IndexerDeclarationSyntax { ExpressionBody: not null }:
                    return ancestor;
                case GlobalStatementSyntax global:
                    return global.Parent;
                case BaseTypeDeclarationSyntax or FieldDeclarationSyntax or PropertyDeclarationSyntax or AttributeSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>"killswitch:", optional white space, "no-flag", white space and a reason. By hand, not with a Regex:
    /// building one costs every build milliseconds.</summary>
    internal static bool IsOptOutComment(string comment)
    {
        for (var at = comment.IndexOf(OptOutMarker, StringComparison.Ordinal); at >= 0; at = comment.IndexOf(OptOutMarker, at + 1, StringComparison.Ordinal))
        {
            var i = at + OptOutMarker.Length;
            while (i < comment.Length && char.IsWhiteSpace(comment[i]))
            {
                i++;
            }

            if (string.CompareOrdinal(comment, i, "no-flag", 0, "no-flag".Length) != 0)
            {
                continue;
            }

            i += "no-flag".Length;
            var spaces = i;
            while (i < comment.Length && char.IsWhiteSpace(comment[i]))
            {
                i++;
            }

            if (i > spaces && i < comment.Length)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasOptOutComment(SyntaxTriviaList trivia)
    {
        foreach (var comment in trivia)
        {
            if (comment.RawKind is (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.SingleLineCommentTrivia
                or (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.MultiLineCommentTrivia
                && IsOptOutComment(comment.ToString()))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasOptOutComment(SyntaxNode node)
    {
        for (SyntaxNode? current = node; current is not null && current is not CompilationUnitSyntax; current = current.Parent)
        {
            if (current is StatementSyntax or MemberDeclarationSyntax or SwitchSectionSyntax or SwitchExpressionArmSyntax
                or CatchClauseSyntax or ElseClauseSyntax or GlobalStatementSyntax or InvocationExpressionSyntax)
            {
                if (HasOptOutComment(current.GetLeadingTrivia()) || HasOptOutComment(current.GetTrailingTrivia()))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
