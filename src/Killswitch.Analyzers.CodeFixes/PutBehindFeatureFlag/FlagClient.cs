using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>A flag client the guard can call: an expression and its type.</summary>
internal sealed class FlagClient
{
    public FlagClient(ExpressionSyntax expression, ITypeSymbol type)
    {
        Expression = expression;
        Type = type;
    }

    public ExpressionSyntax Expression { get; }

    public ITypeSymbol Type { get; }

    /// <summary>
    /// Finds a client in scope at the position, preferring (in this order) a parameter of the enclosing function,
    /// a local declared before the position, a field, a property, and a primary-constructor parameter — so a field
    /// that stores a primary-constructor parameter wins over capturing the parameter a second time (CS9124).
    /// Instance members are skipped in static contexts.
    /// </summary>
    public static FlagClient? FindInScope(SemanticModel model, int position, FlagApi api)
    {
        var enclosing = model.GetEnclosingSymbol(position);
        var functions = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var isStatic = false;
        for (var symbol = enclosing; symbol is IMethodSymbol method; symbol = symbol.ContainingSymbol)
        {
            functions.Add(method);
            isStatic |= method.IsStatic;
        }

        var candidates = new List<(int Rank, ISymbol Symbol, ITypeSymbol Type)>();
        foreach (var symbol in model.LookupSymbols(position))
        {
            var (rank, type, isInstance) = symbol switch
            {
                IParameterSymbol p when functions.Contains(p.ContainingSymbol) => (0, p.Type, false),
                IParameterSymbol p => (4, p.Type, true),
                ILocalSymbol l when DeclaredBefore(l, position) => (1, l.Type, false),
                IFieldSymbol { IsConst: false, IsImplicitlyDeclared: false } f => (2, f.Type, !f.IsStatic),
                IPropertySymbol { IsIndexer: false, GetMethod: not null } p when model.IsAccessible(position, p.GetMethod!) =>
                    (3, p.Type, !p.IsStatic),
                _ => (-1, null, false),
            };

            if (rank < 0 || !api.IsClient(type) || (isInstance && isStatic))
            {
                continue;
            }

            candidates.Add((rank, symbol, type!));
        }

        foreach (var (_, symbol, type) in candidates
            .OrderBy(c => c.Rank)
            .ThenBy(c => SymbolEqualityComparer.Default.Equals(c.Type, api.ClientType) ? 0 : 1)
            .ThenBy(c => c.Symbol.Name, StringComparer.Ordinal))
        {
            ExpressionSyntax expression = IdentifierName(symbol.Name);
            if (!BindsTo(model, position, expression, symbol))
            {
                if (symbol is not IFieldSymbol and not IPropertySymbol || symbol.IsStatic)
                {
                    continue;
                }

                expression = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ThisExpression(), IdentifierName(symbol.Name));
                if (!BindsTo(model, position, expression, symbol))
                {
                    continue;
                }
            }

            return new FlagClient(expression, type);
        }

        return null;
    }

    private static bool DeclaredBefore(ILocalSymbol local, int position) =>
        local.DeclaringSyntaxReferences.Length > 0 && local.DeclaringSyntaxReferences[0].Span.End <= position;

    private static bool BindsTo(SemanticModel model, int position, ExpressionSyntax expression, ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(
            model.GetSpeculativeSymbolInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Symbol,
            symbol);
}
