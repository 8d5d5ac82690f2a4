using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Killswitch.Analyzers.NewCode;

/// <summary>
/// Syntax helpers shared by the finder: what a "unit" of behaviour is, its fingerprint (tokens without trivia,
/// renamed identifiers canonicalised, nested bodies excluded), and the names used in messages and keys.
/// </summary>
internal static class SyntaxUnits
{
    /// <summary>A node whose tokens belong to a nested unit or construct, not to the node being fingerprinted.</summary>
    public static bool IsNestedBody(SyntaxNode node) =>
        node is StatementSyntax or SwitchSectionSyntax or SwitchExpressionArmSyntax or CatchClauseSyntax
            or FinallyClauseSyntax or ElseClauseSyntax;

    /// <summary>Enumerates the nodes that belong to <paramref name="unit"/> itself (not to nested statements).</summary>
    public static IEnumerable<SyntaxNode> OwnNodes(SyntaxNode unit) =>
        unit.DescendantNodesAndSelf(node => node == unit || !IsNestedBody(node)).Where(node => node == unit || !IsNestedBody(node));

    /// <summary>True when the node itself (not nested statements) calls, creates, awaits or throws.</summary>
    public static bool HasOwnBehaviour(SyntaxNode unit)
    {
        foreach (var node in OwnNodes(unit))
        {
            if (IsBehaviour(node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the node or anything under it calls, creates, awaits, throws or branches.</summary>
    public static bool HasAnyBehaviour(SyntaxNode node)
    {
        foreach (var descendant in node.DescendantNodesAndSelf())
        {
            if (IsBehaviour(descendant) || descendant is IfStatementSyntax or SwitchStatementSyntax or SwitchExpressionSyntax
                    or ConditionalExpressionSyntax or ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax
                    or DoStatementSyntax or TryStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsBehaviour(SyntaxNode node) => node switch
    {
        InvocationExpressionSyntax invocation => !IsNameOf(invocation),
        BaseObjectCreationExpressionSyntax or AwaitExpressionSyntax or ThrowStatementSyntax or ThrowExpressionSyntax => true,
        _ => false,
    };

    private static bool IsNameOf(InvocationExpressionSyntax invocation) =>
        invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" };

    /// <summary>The fingerprint of a unit's own tokens: trivia ignored, renamed identifiers replaced by '§'.</summary>
    public static string Fingerprint(SyntaxNode unit, ISet<string>? renamed)
    {
        var builder = new StringBuilder();
        foreach (var token in Tokens(unit, node => node == unit || !IsNestedBody(node)))
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && renamed is not null && renamed.Contains(token.ValueText))
            {
                builder.Append('§');
            }
            else
            {
                builder.Append(token.Text);
            }

            builder.Append(' ');
        }

        return builder.ToString();
    }

    /// <summary>The fingerprint of a whole body, nested statements included (to recognise a renamed member).</summary>
    public static string BodyFingerprint(SyntaxNode body, ISet<string>? renamed)
    {
        var builder = new StringBuilder();
        foreach (var token in Tokens(body))
        {
            builder.Append(token.IsKind(SyntaxKind.IdentifierToken) && renamed is not null && renamed.Contains(token.ValueText) ? "§" : token.Text);
            builder.Append(' ');
        }

        return builder.ToString();
    }

    /// <summary>Text of a node without trivia, single-spaced, shortened for messages and keys.</summary>
    public static string Compact(SyntaxNode node, int max = 60)
    {
        var builder = new StringBuilder();
        foreach (var token in Tokens(node, n => n == node || !IsNestedBody(n)))
        {
            if (builder.Length > 0 && NeedsSpace(builder[builder.Length - 1], token.Text))
            {
                builder.Append(' ');
            }

            builder.Append(token.Text);
        }

        var text = builder.ToString();
        return text.Length <= max ? text : text.Substring(0, max - 1) + "…";
    }

    private static bool NeedsSpace(char previous, string next) =>
        next.Length > 0 && (char.IsLetterOrDigit(previous) || previous == '_' || previous == '"')
            && (char.IsLetterOrDigit(next[0]) || next[0] == '_' || next[0] == '"' || next[0] == '@');

    /// <summary>The executable members of a tree: bodies of methods, constructors, operators, accessors,
    /// expression-bodied properties and indexers. Top-level statements are returned as the compilation unit.</summary>
    /// <summary>
    /// The node's tokens, as <c>DescendantTokens</c> gives them. Roslyn's <c>DescendantTokens</c> is a LINQ
    /// <c>Where</c>/<c>Select</c> over nodes and tokens: generic code over Roslyn's structs that no precompiled image
    /// holds, so the runtime compiled it in every build's fresh compiler process (docs/performance.md).
    /// </summary>
    public static IEnumerable<SyntaxToken> Tokens(SyntaxNode node, Func<SyntaxNode, bool>? descendIntoChildren = null)
    {
        foreach (var item in node.DescendantNodesAndTokens(descendIntoChildren))
        {
            if (item.IsToken)
            {
                yield return item.AsToken();
            }
        }
    }

    public static IEnumerable<(SyntaxNode Member, SyntaxNode Body)> ExecutableMembers(SyntaxNode root)
    {
        var sawTopLevel = false;
        foreach (var node in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax
                     or TypeDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax or EventDeclarationSyntax
                     or AccessorListSyntax))
        {
            switch (node)
            {
                case BaseMethodDeclarationSyntax method when ((SyntaxNode?)method.Body ?? method.ExpressionBody) is { } body:
                    yield return (method, body);
                    break;
                case AccessorDeclarationSyntax accessor when ((SyntaxNode?)accessor.Body ?? accessor.ExpressionBody) is { } body:
                    yield return (accessor, body);
                    break;
                case BasePropertyDeclarationSyntax property when property is PropertyDeclarationSyntax { ExpressionBody: { } arrow }:
                    yield return (property, arrow);
                    break;
                case IndexerDeclarationSyntax { ExpressionBody: { } indexerArrow } indexer:
                    yield return (indexer, indexerArrow);
                    break;
                case GlobalStatementSyntax when !sawTopLevel:
                    sawTopLevel = true;
                    yield return (root, root);
                    break;
            }
        }
    }

    /// <summary>A key that identifies a member across versions of a file: namespace, types, name, parameter count.</summary>
    public static string MemberKey(SyntaxNode member) => ContainerName(member) + "." + MemberName(member) + "/" + ParameterCount(member);

    /// <summary>The same key without the parameter count (fallback when the signature changed).</summary>
    public static string MemberNameKey(SyntaxNode member) => ContainerName(member) + "." + MemberName(member);

    /// <summary>The member's name for messages, e.g. "CheckoutService.PlaceAsync" or "Total.get".</summary>
    public static string DisplayName(SyntaxNode member)
    {
        if (member is CompilationUnitSyntax)
        {
            return "top-level statements";
        }

        var type = member.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault();
        return type is null ? MemberName(member) : type.Identifier.ValueText + "." + MemberName(member);
    }

    /// <summary>The member's name for baseline keys: namespace, types and parameter types, e.g.
    /// "Shop.CheckoutService.PlaceAsync(Order, CancellationToken)".</summary>
    public static string QualifiedName(SyntaxNode member)
    {
        if (member is CompilationUnitSyntax)
        {
            return "<top-level>";
        }

        var parameters = member switch
        {
            BaseMethodDeclarationSyntax method => "(" + string.Join(", ", method.ParameterList.Parameters.Select(p => p.Type?.ToString() ?? p.Identifier.ValueText)) + ")",
            IndexerDeclarationSyntax indexer => "[" + string.Join(", ", indexer.ParameterList.Parameters.Select(p => p.Type?.ToString() ?? string.Empty)) + "]",
            _ => string.Empty,
        };
        return ContainerName(member) + "." + MemberName(member) + parameters;
    }

    public static string MemberName(SyntaxNode member) => member switch
    {
        MethodDeclarationSyntax method => method.Identifier.ValueText,
        ConstructorDeclarationSyntax ctor => ctor.Modifiers.Any(SyntaxKind.StaticKeyword) ? ".cctor" : ".ctor",
        DestructorDeclarationSyntax => "Finalize",
        OperatorDeclarationSyntax op => "operator " + op.OperatorToken.Text,
        ConversionOperatorDeclarationSyntax conversion => "operator " + conversion.Type,
        AccessorDeclarationSyntax accessor => PropertyName(accessor.Parent?.Parent) + "." + accessor.Keyword.Text,
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        IndexerDeclarationSyntax => "this[]",
        LocalFunctionStatementSyntax local => local.Identifier.ValueText,
        CompilationUnitSyntax => "<top-level>",
        _ => "?",
    };

    /// <summary>The location that names the member: its identifier (or keyword for accessors and operators).</summary>
    public static Location NameLocation(SyntaxNode member) => member switch
    {
        MethodDeclarationSyntax method => method.Identifier.GetLocation(),
        ConstructorDeclarationSyntax ctor => ctor.Identifier.GetLocation(),
        DestructorDeclarationSyntax dtor => dtor.Identifier.GetLocation(),
        OperatorDeclarationSyntax op => op.OperatorToken.GetLocation(),
        ConversionOperatorDeclarationSyntax conversion => conversion.Type.GetLocation(),
        AccessorDeclarationSyntax accessor => accessor.Keyword.GetLocation(),
        PropertyDeclarationSyntax property => property.Identifier.GetLocation(),
        IndexerDeclarationSyntax indexer => indexer.ThisKeyword.GetLocation(),
        LocalFunctionStatementSyntax local => local.Identifier.GetLocation(),
        _ => member.GetFirstToken().GetLocation(),
    };

    private static string PropertyName(SyntaxNode? node) => node switch
    {
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        EventDeclarationSyntax @event => @event.Identifier.ValueText,
        IndexerDeclarationSyntax => "this[]",
        _ => "?",
    };

    private static int ParameterCount(SyntaxNode member) => member switch
    {
        BaseMethodDeclarationSyntax method => method.ParameterList.Parameters.Count,
        IndexerDeclarationSyntax indexer => indexer.ParameterList.Parameters.Count,
        _ => 0,
    };

    private static string ContainerName(SyntaxNode member)
    {
        var parts = new List<string>();
        foreach (var ancestor in member.Ancestors())
        {
            switch (ancestor)
            {
                case BaseTypeDeclarationSyntax type:
                    parts.Add(type.Identifier.ValueText);
                    break;
                case BaseNamespaceDeclarationSyntax ns:
                    parts.Add(ns.Name.ToString());
                    break;
            }
        }

        parts.Reverse();
        return string.Join(".", parts);
    }
}
