using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>
/// The function whose body holds a code path: a method, local function, lambda, accessor, or the top-level
/// statements of a program. A flag check awaits, so what matters is whether that function is async (or can become so).
/// </summary>
internal sealed class FunctionContext
{
    private FunctionContext(SyntaxNode node, IMethodSymbol? symbol, bool isAsync, CSharpSyntaxNode? body)
    {
        Node = node;
        Symbol = symbol;
        IsAsync = isAsync;
        Body = body;
    }

    /// <summary>The declaring node: a member, local function, lambda, accessor, or the compilation unit.</summary>
    public SyntaxNode Node { get; }

    public IMethodSymbol? Symbol { get; }

    /// <summary>True when <c>await</c> is allowed in the body (async functions and top-level statements).</summary>
    public bool IsAsync { get; }

    /// <summary>The block or expression body (null for top-level statements).</summary>
    public CSharpSyntaxNode? Body { get; }

    public bool IsTopLevel => Node is CompilationUnitSyntax;

    public AnonymousFunctionExpressionSyntax? Lambda => Node as AnonymousFunctionExpressionSyntax;

    /// <summary>True when the body yields (an iterator's flag-off exit is <c>yield break;</c>).</summary>
    public bool IsIterator => Body is not null && OwnDescendants(Body).OfType<YieldStatementSyntax>().Any();

    /// <summary>Finds the function that contains the node (not the node itself when it is a function).</summary>
    public static FunctionContext? Enclosing(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return new FunctionContext(
                        lambda,
                        model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol,
                        lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
                        lambda.Body);
                case LocalFunctionStatementSyntax local:
                    return new FunctionContext(
                        local,
                        model.GetDeclaredSymbol(local, cancellationToken) as IMethodSymbol,
                        local.Modifiers.Any(SyntaxKind.AsyncKeyword),
                        (CSharpSyntaxNode?)local.Body ?? local.ExpressionBody?.Expression);
                case BaseMethodDeclarationSyntax method:
                    return new FunctionContext(
                        method,
                        model.GetDeclaredSymbol(method, cancellationToken),
                        method.Modifiers.Any(SyntaxKind.AsyncKeyword),
                        (CSharpSyntaxNode?)method.Body ?? method.ExpressionBody?.Expression);
                case AccessorDeclarationSyntax accessor:
                    return new FunctionContext(
                        accessor,
                        model.GetDeclaredSymbol(accessor, cancellationToken),
                        isAsync: false,
                        (CSharpSyntaxNode?)accessor.Body ?? accessor.ExpressionBody?.Expression);
                case ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax } arrow:
                    // A get-only property or indexer with an expression body: its getter can never be async.
                    return new FunctionContext(arrow, null, isAsync: false, arrow.Expression);
                case GlobalStatementSyntax:
                    return current.Parent is CompilationUnitSyntax unit
                        ? new FunctionContext(unit, null, isAsync: true, body: null)
                        : null;
                case MemberDeclarationSyntax:
                case AttributeSyntax:
                    return null;
                default:
                    break;
            }
        }

        return null;
    }

    /// <summary>Nodes of the body that belong to this function, not to a nested lambda or local function.</summary>
    public static System.Collections.Generic.IEnumerable<SyntaxNode> OwnDescendants(SyntaxNode body) =>
        body.DescendantNodesAndSelf(n => n == body || !IsFunction(n));

    public static bool IsFunction(SyntaxNode node) =>
        node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax;
}
