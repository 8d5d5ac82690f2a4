using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.CodeFixes;

/// <summary>
/// KS1001 "Put behind a feature flag": wraps a new code path in a check of the flag API the project references
/// (OpenFeature first, then Microsoft.FeatureManagement; one action per API, each with its own equivalence key),
/// using the flag key the analyzer derived from the member name. See docs/rules/KS1001.md, "Code fix".
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(PutBehindFeatureFlagCodeFixProvider))]
[Shared]
public sealed class PutBehindFeatureFlagCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UnguardedNewCode);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return;
        }

        var apis = FlagApi.ResolveAll(model.Compilation);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!FlagTarget.TryCreate(diagnostic, out var target))
            {
                continue;
            }

            foreach (var api in apis)
            {
                // The fix is computed here, not when applied: a shape that would not compile is never offered.
                var fixedDocument = await FlagGuardFixer.TryApplyAsync(context.Document, target, api.Kind, context.CancellationToken).ConfigureAwait(false);
                if (fixedDocument is null)
                {
                    continue;
                }

                var title = $"Put behind feature flag '{target.Key}' ({api.DisplayName})";
                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(fixedDocument), api.EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>
    /// Fixes every diagnostic of a document with the API of the chosen action. Outer code paths go first; a path
    /// inside one already guarded is skipped (the outer check guards it). Each fix is applied to the result of the
    /// previous one and checked to compile like the others; targets are tracked by annotation across edits.
    /// </summary>
    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        if (!TryGetApiKind(context.CodeActionEquivalenceKey, out var apiKind)
            || await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is not { } root)
        {
            return null;
        }

        var targets = new List<(FlagTarget Target, SyntaxAnnotation First, SyntaxAnnotation Last)>();
        var annotations = new Dictionary<SyntaxNode, List<SyntaxAnnotation>>();
        foreach (var diagnostic in diagnostics
            .OrderBy(d => d.AdditionalLocations.Count > 0 ? d.AdditionalLocations[0].SourceSpan.Start : int.MaxValue)
            .ThenByDescending(d => d.AdditionalLocations.Count > 0 ? d.AdditionalLocations[0].SourceSpan.Length : 0))
        {
            if (!FlagTarget.TryCreate(diagnostic, out var target) || !root.FullSpan.Contains(target.Span))
            {
                continue;
            }

            // The span is rebuilt after earlier edits from its first and last token's nodes.
            var first = root.FindToken(target.Span.Start).Parent!;
            var last = root.FindToken(target.Span.End - 1).Parent!;
            var firstAnnotation = new SyntaxAnnotation("KillswitchFixAllStart");
            var lastAnnotation = new SyntaxAnnotation("KillswitchFixAllEnd");
            Add(annotations, first, firstAnnotation);
            Add(annotations, last, lastAnnotation);
            targets.Add((target, firstAnnotation, lastAnnotation));
        }

        root = root.ReplaceNodes(annotations.Keys, (original, current) => current.WithAdditionalAnnotations(annotations[original]));
        var current = document.WithSyntaxRoot(root);
        var guarded = new List<TextSpan>();
        foreach (var (target, firstAnnotation, lastAnnotation) in targets)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (guarded.Any(span => span.Contains(target.Span)))
            {
                continue;
            }

            var currentRoot = await current.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var first = currentRoot!.GetAnnotatedNodes(firstAnnotation).FirstOrDefault();
            var last = currentRoot.GetAnnotatedNodes(lastAnnotation).FirstOrDefault();
            if (first is null || last is null)
            {
                continue;
            }

            var span = TextSpan.FromBounds(
                first.SpanStart + (target.Span.Start - OriginalStart(root, firstAnnotation)),
                last.Span.End - (OriginalEnd(root, lastAnnotation) - target.Span.End));
            var fixedDocument = await FlagGuardFixer.TryApplyAsync(current, target.WithSpan(span), apiKind, context.CancellationToken).ConfigureAwait(false);
            if (fixedDocument is not null)
            {
                current = fixedDocument;
                guarded.Add(target.Span);
            }
        }

        return current;
    }

    private static int OriginalStart(SyntaxNode root, SyntaxAnnotation annotation) => root.GetAnnotatedNodes(annotation).First().SpanStart;

    private static int OriginalEnd(SyntaxNode root, SyntaxAnnotation annotation) => root.GetAnnotatedNodes(annotation).First().Span.End;

    private static void Add(Dictionary<SyntaxNode, List<SyntaxAnnotation>> annotations, SyntaxNode node, SyntaxAnnotation annotation)
    {
        if (!annotations.TryGetValue(node, out var list))
        {
            annotations[node] = list = new List<SyntaxAnnotation>();
        }

        list.Add(annotation);
    }

    private static bool TryGetApiKind(string? equivalenceKey, out FlagApiKind kind)
    {
        foreach (FlagApiKind candidate in new[] { FlagApiKind.OpenFeature, FlagApiKind.FeatureManagement })
        {
            if (equivalenceKey == RuleIdentifiers.UnguardedNewCode + "." + candidate)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
