using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// Control-flow graphs by executable root (a member declaration, or the compilation unit for top-level statements),
/// one per root and compilation. The graphs of members holding new code come from the compiler's driver
/// (<c>OperationBlockAnalysisContext.GetControlFlowGraph</c>, built on the operations it binds once for every
/// analyzer); only the graphs of callers followed into other members are built here, each once.
/// </summary>
internal sealed class GraphCache
{
    private readonly ConcurrentDictionary<SyntaxNode, ControlFlowGraph?> _graphs = new();

    /// <summary>Records the driver's graph of a root (null when the root's operation is not a body).</summary>
    public void Add(SyntaxNode root, ControlFlowGraph? graph) => _graphs[root] = graph;

    public ControlFlowGraph? GetOrCreate(SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) =>
        _graphs.TryGetValue(root, out var graph) ? graph : _graphs.GetOrAdd(root, Create(root, model, cancellationToken));

    /// <summary>The operation a root's graph is built from, as <c>SemanticModel.GetOperation</c> returns it.</summary>
    public static SyntaxNode BodyNode(SyntaxNode root) =>
        root is PropertyDeclarationSyntax { ExpressionBody: { } arrow } ? arrow
            : root is IndexerDeclarationSyntax { ExpressionBody: { } indexerArrow } ? indexerArrow
            : root;

    /// <summary>The executable root (as <see cref="NewCode.SyntaxUnits.ExecutableMembers"/> names it) of a body's syntax.</summary>
    public static SyntaxNode RootOf(SyntaxNode body) =>
        body is ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax or IndexerDeclarationSyntax } arrow ? arrow.Parent! : body;

    /// <summary>True for the operations a graph can be built from: method, constructor and top-level bodies.</summary>
    public static bool IsBody(IOperation? operation) =>
        operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation { Parent: null };

    private static ControlFlowGraph? Create(SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) =>
        model.GetOperation(BodyNode(root), cancellationToken) switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
            IBlockOperation { Parent: null } block => ControlFlowGraph.Create(block, cancellationToken),
            _ => null,
        };
}
