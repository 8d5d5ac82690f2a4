using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>Builds the syntax the fix inserts. Qualified names carry the Simplifier and add-imports annotations.</summary>
internal static class FlagSyntax
{
    /// <summary>A fully qualified name the cleanup reduces and imports (<c>global::OpenFeature.IFeatureClient</c> → <c>IFeatureClient</c>).</summary>
    public static TypeSyntax QualifiedType(string name) =>
        ParseTypeName(name).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    public static ExpressionSyntax QualifiedExpression(string name) =>
        ParseExpression(name).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary>
    /// <c>await client.GetBooleanValueAsync("key", false)</c> or <c>await manager.IsEnabledAsync("key")</c>, with the
    /// function's cancellation token when the API takes one and <c>.ConfigureAwait(false)</c> when the function
    /// already awaits that way.
    /// </summary>
    public static ExpressionSyntax FlagCheck(FlagApi api, FlagClient client, string key, ExpressionSyntax? cancellationToken, bool configureAwait)
    {
        var keyArgument = Argument(LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(key)));
        var arguments = api.Kind == FlagApiKind.OpenFeature
            ? SeparatedList(new[] { keyArgument, Argument(LiteralExpression(SyntaxKind.FalseLiteralExpression)) })
            : SingletonSeparatedList(keyArgument);
        if (cancellationToken is not null && api.AcceptsCancellationToken(client.Type))
        {
            var tokenArgument = Argument(cancellationToken);
            if (api.Kind == FlagApiKind.OpenFeature)
            {
                tokenArgument = tokenArgument.WithNameColon(NameColon("cancellationToken"));
            }

            arguments = arguments.Add(tokenArgument);
        }

        var method = api.Kind == FlagApiKind.OpenFeature ? "GetBooleanValueAsync" : "IsEnabledAsync";
        ExpressionSyntax call = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, client.Expression.WithoutTrivia(), IdentifierName(method)),
            ArgumentList(arguments));
        if (configureAwait)
        {
            call = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, call, IdentifierName("ConfigureAwait")),
                ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.FalseLiteralExpression)))));
        }

        return AwaitExpression(call);
    }

    /// <summary>
    /// <c>if (check) { statements }</c> on lines of its own. Line breaks are explicit: the formatter keeps a block
    /// built from elastic trivia on one line inside a lambda, so it is only left to indent.
    /// </summary>
    public static IfStatementSyntax IfOn(ExpressionSyntax check, SyntaxList<StatementSyntax> statements, SyntaxTrivia endOfLine) =>
        IfStatement(
                Token(SyntaxKind.IfKeyword),
                Token(SyntaxKind.OpenParenToken),
                check,
                Token(SyntaxKind.CloseParenToken).WithTrailingTrivia(endOfLine),
                Lines(statements, endOfLine),
                null)
            .WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary><c>if (!check) { exit }</c> on lines of its own.</summary>
    public static IfStatementSyntax IfOff(ExpressionSyntax check, StatementSyntax exit, SyntaxTrivia endOfLine) =>
        IfOn(PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, check), SingletonList(exit), endOfLine);

    /// <summary>A block with each statement on its own line, annotated for formatting.</summary>
    public static BlockSyntax Lines(IEnumerable<StatementSyntax> statements, SyntaxTrivia endOfLine) =>
        Block(
                Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(endOfLine),
                List(statements.Select(s => s.GetTrailingTrivia().Any(SyntaxKind.EndOfLineTrivia) ? s : s.WithTrailingTrivia(s.GetTrailingTrivia().Add(endOfLine)))),
                Token(SyntaxKind.CloseBraceToken))
            .WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary>The line break the file uses (its first one), or LF.</summary>
    public static SyntaxTrivia EndOfLineOf(SyntaxNode root)
    {
        var first = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return first.IsKind(SyntaxKind.EndOfLineTrivia) ? first : EndOfLine("\n");
    }

    public static ReturnStatementSyntax Return(ExpressionSyntax? value) =>
        value is null ? ReturnStatement() : ReturnStatement(value);

    /// <summary>An expression body turned into a statement (<c>=&gt; throw x</c> becomes <c>throw x;</c>).</summary>
    public static StatementSyntax AsStatement(ExpressionSyntax expression, bool returnsValue)
    {
        if (expression is ThrowExpressionSyntax throwExpression)
        {
            return ThrowStatement(throwExpression.Expression.WithoutLeadingTrivia());
        }

        var body = expression.WithoutLeadingTrivia();
        return returnsValue ? ReturnStatement(body) : ExpressionStatement(body);
    }

    /// <summary>Replaces one statement by several: spliced into a block or switch section, else wrapped in a block.</summary>
    public static SyntaxNode Splice(SyntaxNode root, StatementSyntax statement, StatementSyntax[] replacement, SyntaxTrivia endOfLine)
    {
        if (statement.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            return root.ReplaceNode(statement, replacement.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)));
        }

        return root.ReplaceNode(statement, Lines(replacement, endOfLine));
    }

    public static bool HasAwaitWithConfigureAwaitFalse(SyntaxNode? body) =>
        body is not null && FunctionContext.OwnDescendants(body).OfType<AwaitExpressionSyntax>().Any(a =>
            a.Expression is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" },
                ArgumentList.Arguments: { Count: 1 } arguments,
            } && arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression));

    /// <summary>
    /// Adds <c>using ns;</c> where the file keeps its usings (the compilation unit, or a lone namespace that holds
    /// them), in order: System namespaces first, then alphabetical. Used for extension methods, which the
    /// Simplifier cannot import.
    /// </summary>
    public static CompilationUnitSyntax AddUsing(CompilationUnitSyntax root, string ns)
    {
        var directive = UsingDirective(ParseName(ns)).WithAdditionalAnnotations(Formatter.Annotation);
        if (root.Usings.Count == 0
            && root.Members.Count == 1
            && root.Members[0] is BaseNamespaceDeclarationSyntax { Usings.Count: > 0 } holder)
        {
            return root.ReplaceNode(holder, holder.WithUsings(Insert(holder.Usings, directive)));
        }

        return root.WithUsings(Insert(root.Usings, directive));
    }

    private static SyntaxList<UsingDirectiveSyntax> Insert(SyntaxList<UsingDirectiveSyntax> usings, UsingDirectiveSyntax directive)
    {
        var name = directive.Name!.ToString();
        var index = 0;
        while (index < usings.Count && Before(usings[index], name))
        {
            index++;
        }

        if (usings.Count > 0 && index == 0)
        {
            // The file's leading trivia (a header comment) stays on top.
            var first = usings[0];
            return usings.Replace(first, first.WithLeadingTrivia(ElasticMarker)).Insert(0, directive.WithLeadingTrivia(first.GetLeadingTrivia()));
        }

        return usings.Insert(index, directive);
    }

    private static bool Before(UsingDirectiveSyntax existing, string name)
    {
        if (!existing.GlobalKeyword.IsKind(SyntaxKind.None) || existing.StaticKeyword.IsKind(SyntaxKind.StaticKeyword) || existing.Alias is not null)
        {
            return !existing.GlobalKeyword.IsKind(SyntaxKind.None);
        }

        var other = existing.Name?.ToString() ?? string.Empty;
        var otherIsSystem = other == "System" || other.StartsWith("System.", System.StringComparison.Ordinal);
        var isSystem = name == "System" || name.StartsWith("System.", System.StringComparison.Ordinal);
        if (otherIsSystem != isSystem)
        {
            return otherIsSystem;
        }

        return string.CompareOrdinal(other, name) < 0;
    }
}
