using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// Control-flow graphs by executable root (a member declaration, or the compilation unit for top-level statements),
/// built once per root and compilation: a member holding new code and the callers followed into from other trees'
/// new members share one graph.
/// </summary>
internal sealed class GraphCache
{
    private readonly ConcurrentDictionary<SyntaxNode, Lazy<ControlFlowGraph?>> _graphs = new();

    public ControlFlowGraph? GetOrCreate(SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) =>
        _graphs.GetOrAdd(root, r => new Lazy<ControlFlowGraph?>(() => Create(r, model, cancellationToken))).Value;

    /// <summary>The node a root's graph is built from, as <c>SemanticModel.GetOperation</c> takes it.</summary>
    private static SyntaxNode BodyNode(SyntaxNode root) =>
        root is PropertyDeclarationSyntax { ExpressionBody: { } arrow } ? arrow
            : root is IndexerDeclarationSyntax { ExpressionBody: { } indexerArrow } ? indexerArrow
            : root;

    /// <summary>The operation a root's graph is built from, or null when the root has none (no graph either).</summary>
    public static IOperation? BodyOperation(SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        var operation = model.GetOperation(BodyNode(root), cancellationToken);
        return operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation { Parent: null } ? operation : null;
    }

    private static ControlFlowGraph? Create(SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) =>
        BodyOperation(root, model, cancellationToken) switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
            IBlockOperation block => ControlFlowGraph.Create(block, cancellationToken),
            _ => null,
        };
}
