using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.CodeFixes.UseManifestKey;

/// <summary>
/// KS1002 "Use flag 'x'": rewrites an unknown flag key to the manifest key the analyzer suggests, where the key is
/// written: the literal at the call, or the literal in the declaration of the constant, static readonly field or
/// get-only property it comes from (one edit fixes every use). See docs/rules/KS1002.md, "Code fix".
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseManifestKeyCodeFixProvider))]
[Shared]
public sealed class UseManifestKeyCodeFixProvider : CodeFixProvider
{
    /// <summary>The diagnostic property the analyzer fills with the suggested key (UnknownFlagKeyRule).</summary>
    internal const string SuggestedKeyProperty = "KillswitchSuggestedKey";

    private const string EquivalenceKey = "Killswitch.UseManifestKey";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UnknownFlagKey);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => new KeyFixAllProvider();

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var edit = await FindEditAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (edit is null)
            {
                continue;
            }

            var title = $"Use flag '{edit.Value.Key}'";
            var solution = context.Document.Project.Solution;
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ApplyAsync(solution, new[] { edit.Value }, ct), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>Where the key is written and what replaces it; null when there is no suggestion or no safe edit.</summary>
    internal static async Task<KeyEdit?> FindEditAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(SuggestedKeyProperty, out var key) || string.IsNullOrEmpty(key)
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (node is not ExpressionSyntax expression)
        {
            return null;
        }

        return await FindEditAsync(document.Project.Solution, document, model, expression, key!, depth: 0, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<KeyEdit?> FindEditAsync(
        Solution solution, Document document, SemanticModel model, ExpressionSyntax expression, string key, int depth, CancellationToken cancellationToken)
    {
        while (expression is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            expression = expression is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((CastExpressionSyntax)expression).Expression;
        }

        if (expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return new KeyEdit(document.Id, literal.Span, Literal(key), key);
        }

        if (expression is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } nameOf)
        {
            return NameOfEdit(document, model, nameOf, key, cancellationToken);
        }

        var symbol = model.GetSymbolInfo(expression, cancellationToken).Symbol;
        if (symbol is IFieldSymbol or IPropertySymbol or ILocalSymbol && depth < 4)
        {
            if (symbol.DeclaringSyntaxReferences.Length == 1)
            {
                var declaration = await symbol.DeclaringSyntaxReferences[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false);
                var initializer = declaration switch
                {
                    VariableDeclaratorSyntax { Initializer.Value: { } value } => value,
                    PropertyDeclarationSyntax { Initializer.Value: { } value } => value,
                    PropertyDeclarationSyntax { ExpressionBody.Expression: { } value } => value,
                    _ => null,
                };
                var declaringDocument = solution.GetDocument(declaration.SyntaxTree);
                if (initializer is not null && declaringDocument is not null)
                {
                    var declaringModel = declaringDocument.Id == document.Id
                        ? model
                        : await declaringDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                    if (declaringModel is not null)
                    {
                        return await FindEditAsync(solution, declaringDocument, declaringModel, initializer, key, depth + 1, cancellationToken).ConfigureAwait(false);
                    }
                }

                return null;
            }

            // A constant from a referenced assembly: its value cannot change here, so the call gets the literal.
            if (symbol.DeclaringSyntaxReferences.Length == 0 && depth == 0)
            {
                return new KeyEdit(document.Id, expression.Span, Literal(key), key);
            }

            return null;
        }

        // Any other constant expression ("new-" + "chekout", an interpolation of constants) at the call is replaced whole.
        if (depth == 0 && model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: string })
        {
            return new KeyEdit(document.Id, expression.Span, Literal(key), key);
        }

        return null;
    }

    /// <summary>
    /// <c>nameof(Features.NewChekout)</c> ties the key to a symbol; the fix keeps that tie. When a symbol named after
    /// the suggested key exists beside the named one, nameof points at it; otherwise no fix is offered (renaming the
    /// symbol is a refactoring with reach beyond the flag, and a literal would cut the tie nameof exists for).
    /// </summary>
    private static KeyEdit? NameOfEdit(Document document, SemanticModel model, InvocationExpressionSyntax nameOf, string key, CancellationToken cancellationToken)
    {
        if (nameOf.ArgumentList.Arguments.Count != 1 || !SyntaxFacts.IsValidIdentifier(key))
        {
            return null;
        }

        var operand = nameOf.ArgumentList.Arguments[0].Expression;
        var name = operand switch
        {
            MemberAccessExpressionSyntax access => access.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };
        var named = model.GetSymbolInfo(operand, cancellationToken);
        var symbol = named.Symbol ?? named.CandidateSymbols.FirstOrDefault();
        if (name is null || symbol is null)
        {
            return null;
        }

        IEnumerable<ISymbol> siblings = symbol.ContainingType is { } type
            ? type.GetMembers(key)
            : symbol.ContainingNamespace?.GetMembers(key) ?? Enumerable.Empty<ISymbol>();
        if (!siblings.Any(s => model.IsAccessible(nameOf.SpanStart, s)))
        {
            return null;
        }

        return new KeyEdit(document.Id, name.Identifier.Span, key, key);
    }

    private static string Literal(string key) => SyntaxFactory.Literal(key).Text;

    /// <summary>Applies edits, several per document, dropping duplicates (many calls share one constant).</summary>
    internal static async Task<Solution> ApplyAsync(Solution solution, IEnumerable<KeyEdit> edits, CancellationToken cancellationToken)
    {
        foreach (var group in edits.Distinct().GroupBy(e => e.DocumentId))
        {
            var document = solution.GetDocument(group.Key);
            if (document is null)
            {
                continue;
            }

            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var changes = new List<TextChange>();
            foreach (var edit in group.OrderBy(e => e.Span.Start))
            {
                // Overlapping edits would be two suggestions for one place; the first wins.
                if (changes.Count == 0 || changes[changes.Count - 1].Span.End <= edit.Span.Start)
                {
                    changes.Add(new TextChange(edit.Span, edit.NewText));
                }
            }

            solution = solution.WithDocumentText(group.Key, text.WithChanges(changes));
        }

        return solution;
    }

    /// <summary>One text edit of the fix.</summary>
    internal readonly struct KeyEdit : System.IEquatable<KeyEdit>
    {
        public KeyEdit(DocumentId documentId, TextSpan span, string newText, string key)
        {
            DocumentId = documentId;
            Span = span;
            NewText = newText;
            Key = key;
        }

        public DocumentId DocumentId { get; }

        public TextSpan Span { get; }

        public string NewText { get; }

        public string Key { get; }

        public bool Equals(KeyEdit other) => DocumentId == other.DocumentId && Span == other.Span && NewText == other.NewText;

        public override bool Equals(object? obj) => obj is KeyEdit other && Equals(other);

        public override int GetHashCode() => (DocumentId, Span, NewText).GetHashCode();
    }

    /// <summary>Fix All: every diagnostic's own suggestion, edits deduplicated across documents, applied once.</summary>
    private sealed class KeyFixAllProvider : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var action = CodeAction.Create(
                "Use the suggested flag keys",
                async ct =>
                {
                    var solution = fixAllContext.Solution;
                    var edits = new List<KeyEdit>();
                    foreach (var (document, diagnostics) in await FixAllDocuments.DiagnosticsAsync(fixAllContext, ct).ConfigureAwait(false))
                    {
                        foreach (var diagnostic in diagnostics)
                        {
                            if (await FindEditAsync(document, diagnostic, ct).ConfigureAwait(false) is { } edit)
                            {
                                edits.Add(edit);
                            }
                        }
                    }

                    return await ApplyAsync(solution, edits, ct).ConfigureAwait(false);
                },
                EquivalenceKey);
            return Task.FromResult<CodeAction?>(action);
        }
    }
}
