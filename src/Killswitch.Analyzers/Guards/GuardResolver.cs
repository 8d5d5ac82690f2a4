using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// Decides whether a new code path is behind a feature flag: opt-outs, gate attributes and endpoint gates first
/// (symbols only), then the flow analysis of the member that holds it, following calls into new private and
/// internal members.
/// </summary>
internal sealed class GuardResolver
{
    private const int MaxCallDepth = 3;
    private static readonly Regex OptOutComment = new(@"killswitch:\s*no-flag\s+\S", RegexOptions.CultureInvariant);

    private readonly FlagApi _api;
    private readonly GuardEvaluator _evaluator;
    private readonly SemanticModel _model;
    private readonly CallSiteIndex _callSites;
    private readonly GraphCache _graphs;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<SyntaxNode, FlowGuards?> _rootFlows = new();
    private readonly HashSet<SyntaxNode> _computing = new();

    public GuardResolver(FlagApi api, SemanticModel model, CallSiteIndex callSites, GraphCache graphs, CancellationToken cancellationToken)
    {
        _api = api;
        _model = model;
        _callSites = callSites;
        _graphs = graphs;
        _cancellationToken = cancellationToken;
        _evaluator = new GuardEvaluator(api, model.Compilation, cancellationToken);
    }

    public bool IsGuarded(CodePath path)
    {
        if (HasOptOutComment(path.Node))
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

        var flow = RootFlow(path.ExecutableRoot, _model, 0);
        if (flow is null)
        {
            return false;
        }

        if (path.Kind == CodePathKind.Endpoint && path.Node is InvocationExpressionSyntax invocation)
        {
            return IsEndpointGuarded(invocation, flow);
        }

        var inner = _evaluator.Locate(flow, path.Region);
        return _evaluator.IsRegionGuarded(inner, path.Region, out _);
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

    private FlowGuards? RootFlow(SyntaxNode root, SemanticModel model, int depth)
    {
        if (_rootFlows.TryGetValue(root, out var cached))
        {
            return cached;
        }

        if (!_computing.Add(root))
        {
            return null;
        }

        try
        {
            var graph = _graphs.GetOrCreate(root, model, _cancellationToken);
            if (graph is null)
            {
                _rootFlows[root] = null;
                return null;
            }

            var symbol = DeclaredSymbol(root, model);
            // Only a new member's callers are all new too (so all visible in changed files): follow calls for those.
            var entryGuarded = symbol is IMethodSymbol method && depth <= MaxCallDepth && _callSites.IsNewDeclaration(root)
                && AllUsesGuarded(method, depth);
            var flow = _evaluator.Analyze(graph, entryGuarded, null);
            _rootFlows[root] = flow;
            return flow;
        }
        finally
        {
            _computing.Remove(root);
        }
    }

    private bool AllUsesGuarded(IMethodSymbol method, int depth)
    {
        if (!_api.Options.FollowCalls || !IsEffectivelyInternal(method) || method.MethodKind != MethodKind.Ordinary)
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

                var flow = RootFlow(root, model, depth + 1);
                if (flow is null || !GuardEvaluator.IsPositionGuarded(_evaluator.Locate(flow, name.Span), name.Span))
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

    private static bool HasOptOutComment(SyntaxNode node)
    {
        for (SyntaxNode? current = node; current is not null && current is not CompilationUnitSyntax; current = current.Parent)
        {
            if (current is StatementSyntax or MemberDeclarationSyntax or SwitchSectionSyntax or SwitchExpressionArmSyntax
                or CatchClauseSyntax or ElseClauseSyntax or GlobalStatementSyntax or InvocationExpressionSyntax)
            {
                foreach (var trivia in current.GetLeadingTrivia().Concat(current.GetTrailingTrivia()))
                {
                    if (trivia.RawKind is (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.SingleLineCommentTrivia
                        or (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.MultiLineCommentTrivia
                        && OptOutComment.IsMatch(trivia.ToString()))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
