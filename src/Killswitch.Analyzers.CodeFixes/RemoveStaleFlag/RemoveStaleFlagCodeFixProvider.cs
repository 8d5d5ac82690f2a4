using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;

/// <summary>
/// KS1006 / KS1010 "Remove flag 'k', keep variant X": one action per variant, what production serves first (the
/// served variant, or the code's default for a DISABLED flag). Fix All (document, project, solution) keeps what
/// production serves for every stale flag, or variant X for every call of flag k; each document's removals run one
/// after the other on the result of the previous. See docs/rules/KS1006.md, "Code fix".
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveStaleFlagCodeFixProvider))]
[Shared]
public sealed class RemoveStaleFlagCodeFixProvider : CodeFixProvider
{
    internal const string VariantsProperty = "KillswitchVariants";
    internal const string ServedVariantProperty = "KillswitchServedVariant";
    internal const string FlagKeyProperty = "KillswitchFlagKey";

    /// <summary>Equivalence key of the first action: keep what production serves.</summary>
    internal const string KeepServedKey = "Killswitch.RemoveStaleFlag.Served";

    private const string KeepVariantKeyPrefix = "Killswitch.RemoveStaleFlag.Variant:";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.StaleFlag, RuleIdentifiers.SingleVariantFlag);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider();

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FlagKeyProperty, out var flagKey) || flagKey is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            foreach (var (kept, equivalenceKey) in Choices(diagnostic, flagKey))
            {
                // Computed now, not when applied: a call the fix cannot rewrite (an object value) offers no action.
                var target = new SyntaxAnnotation();
                var marked = context.Document.WithSyntaxRoot(root.ReplaceNode(invocation, invocation.WithAdditionalAnnotations(target)));
                var fixedDocument = await FlagRemover.RemoveAsync(marked, target, flagKey, kept, context.CancellationToken).ConfigureAwait(false);
                if (fixedDocument is null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(Title(flagKey, kept), _ => Task.FromResult(fixedDocument), equivalenceKey),
                    diagnostic);
            }
        }
    }

    private static string Title(string flagKey, KeptValue kept) => kept.VariantName is null
        ? $"Remove flag '{flagKey}', keep the code default"
        : $"Remove flag '{flagKey}', keep variant '{kept.VariantName}' ({kept.Json})";

    /// <summary>The values a diagnostic offers, what production serves first, each with its equivalence key.</summary>
    private static IEnumerable<(KeptValue Kept, string EquivalenceKey)> Choices(Diagnostic diagnostic, string flagKey)
    {
        diagnostic.Properties.TryGetValue(VariantsProperty, out var lines);
        diagnostic.Properties.TryGetValue(ServedVariantProperty, out var served);
        var variants = KeptValue.ParseVariants(lines);
        var first = served is null ? KeptValue.CodeDefault : variants.FirstOrDefault(v => v.VariantName == served);
        if (first is not null)
        {
            yield return (first, KeepServedKey);
        }

        foreach (var variant in variants.Where(v => v != first))
        {
            yield return (variant, KeepVariantKeyPrefix + flagKey + "\n" + variant.VariantName);
        }
    }

    /// <summary>The value a Fix All keeps for one diagnostic; null when the chosen action does not concern it.</summary>
    private static KeptValue? ChoiceFor(Diagnostic diagnostic, string? equivalenceKey) =>
        diagnostic.Properties.TryGetValue(FlagKeyProperty, out var flagKey) && flagKey is not null
            ? Choices(diagnostic, flagKey).FirstOrDefault(c => c.EquivalenceKey == equivalenceKey).Kept
            : null;

    /// <summary>
    /// BatchFixer merges text changes computed against the original document, which overlap here (two evaluations
    /// in one method, a private method removed by both). This one applies each removal to the result of the
    /// previous, finding the next evaluation by an annotation put on every target before the first edit.
    /// </summary>
    private sealed class SequentialFixAllProvider : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var title = fixAllContext.CodeActionEquivalenceKey == KeepServedKey
                ? "Remove the stale flags, keep what production serves"
                : "Remove the flag, keep the chosen variant";
            return Task.FromResult<CodeAction?>(CodeAction.Create(
                title,
                ct => FixAllAsync(fixAllContext, ct),
                fixAllContext.CodeActionEquivalenceKey));
        }

        private static async Task<Solution> FixAllAsync(FixAllContext context, CancellationToken cancellationToken)
        {
            var solution = context.Solution;
            foreach (var (document, diagnostics) in await FixAllDocuments.DiagnosticsAsync(context, cancellationToken).ConfigureAwait(false))
            {
                var fixedDocument = await FixDocumentAsync(solution.GetDocument(document.Id)!, diagnostics, context.CodeActionEquivalenceKey, cancellationToken).ConfigureAwait(false);
                if (fixedDocument is not null)
                {
                    solution = fixedDocument.Project.Solution;
                }
            }

            return solution;
        }

        internal static async Task<Document?> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return null;
            }

            var targets = new List<(SyntaxAnnotation Target, string FlagKey, KeptValue Kept)>();
            var marks = new Dictionary<SyntaxNode, SyntaxAnnotation>();
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                if (ChoiceFor(diagnostic, equivalenceKey) is not { } kept
                    || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
                    || marks.ContainsKey(invocation))
                {
                    continue;
                }

                var target = new SyntaxAnnotation();
                marks[invocation] = target;
                targets.Add((target, diagnostic.Properties[FlagKeyProperty]!, kept));
            }

            if (targets.Count == 0)
            {
                return null;
            }

            var current = document.WithSyntaxRoot(root.ReplaceNodes(marks.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original])));
            foreach (var (target, flagKey, kept) in targets)
            {
                // An evaluation in code an earlier removal dropped is gone, and so is its annotation: nothing to do.
                current = await FlagRemover.RemoveAsync(current, target, flagKey, kept, cancellationToken).ConfigureAwait(false) ?? current;
            }

            return current;
        }
    }
}
