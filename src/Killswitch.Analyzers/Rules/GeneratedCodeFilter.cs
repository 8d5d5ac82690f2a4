using System;
using System.Collections.Concurrent;
using System.Threading;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Killswitch.Analyzers.Rules;

/// <summary>
/// KS1001's own version of the test the analyzer driver applies to every diagnostic of an analyzer that does not report
/// in generated code (<see cref="Microsoft.CodeAnalysis.Diagnostics.GeneratedCodeAnalysisFlags.None"/>): a location in
/// a <c>#line hidden</c> region, or inside a declaration that carries <c>[GeneratedCode]</c> (itself or any symbol
/// containing it). Generated files (by name, header comment or <c>generated_code = true</c>) are skipped before any
/// analysis, through <c>SemanticModelAnalysisContext.IsGeneratedCode</c>. The flag rules, also one callback per tree, ask
/// it for each flag call they find.
/// <para>
/// Why not leave it to the driver: for <c>[GeneratedCode]</c> the driver walks every token of a tree the first time
/// an analyzer reports in it, and that walk is charged to the reporting analyzer. On Newtonsoft.Json it was 16% of
/// KS1001's time (docs/performance.md). Here the walk runs only when the file's text holds "GeneratedCode" at all,
/// and the symbols are looked up only along the reported location's ancestors.
/// </para>
/// </summary>
internal sealed class GeneratedCodeFilter
{
    private const string Marker = "GeneratedCode";
    private static readonly object Mentions = new();
    private static readonly object DoesNotMention = new();

    // Resolved only for a file that mentions the name: GetTypeByMetadataName searches every reference.
    private readonly Lazy<INamedTypeSymbol?> _attribute;

    // Per tree, whether it mentions the attribute (asked once per reported path, trees analyzed concurrently). Reference values:
    // a dictionary of booleans is generic code no precompiled image holds (docs/performance.md).
    private readonly ConcurrentDictionary<SyntaxTree, object> _mentions = new();

    public GeneratedCodeFilter(Compilation compilation)
    {
        _attribute = new Lazy<INamedTypeSymbol?>(() => compilation.GetTypeByMetadataName("System.CodeDom.Compiler.GeneratedCodeAttribute"));
    }

    /// <summary>False when no location of the tree can be generated code: no <c>#line hidden</c> and no mention of
    /// the attribute (then <see cref="IsGenerated"/> is false for all of it, and need not be asked per location).</summary>
    public bool MayHoldGeneratedCode(SyntaxTree tree, CancellationToken cancellationToken) =>
        tree.HasHiddenRegions() || MentionsAttribute(tree, cancellationToken);

    /// <summary>True when the driver would drop a diagnostic at <paramref name="location"/> as generated code.</summary>
    public bool IsGenerated(Location location, SemanticModel model, CancellationToken cancellationToken)
    {
        if (location.SourceTree is not { } tree)
        {
            return false;
        }

        // The compiler's own hidden-position test (internal): in a file with #line hidden, a position under it or
        // before the first #line directive.
        if (tree.HasHiddenRegions()
            && tree.GetLineVisibility(location.SourceSpan.Start, cancellationToken) is LineVisibility.Hidden or LineVisibility.BeforeFirstLineDirective)
        {
            return true;
        }

        if (!MentionsAttribute(tree, cancellationToken) || _attribute.Value is not { } attribute)
        {
            return false;
        }

        var root = tree.GetRoot(cancellationToken);
        for (SyntaxNode? node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (node is BaseFieldDeclarationSyntax field)
            {
                foreach (var variable in field.Declaration.Variables)
                {
                    if (IsGeneratedSymbol(model.GetDeclaredSymbol(variable, cancellationToken), attribute))
                    {
                        return true;
                    }
                }
            }
            else if (IsGeneratedSymbol(model.GetDeclaredSymbol(node, cancellationToken), attribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><see cref="MentionsGeneratedCode"/>, once per tree.</summary>
    private bool MentionsAttribute(SyntaxTree tree, CancellationToken cancellationToken) =>
        _mentions.GetOrAdd(tree, t => MentionsGeneratedCode(t, cancellationToken) ? Mentions : DoesNotMention) == Mentions;

    /// <summary>The driver's screen: some token of the tree reads GeneratedCode or GeneratedCodeAttribute. A text
    /// search first, so the token walk runs only in the rare file that mentions the name (an identifier spelled with
    /// Unicode escapes, <c>Generated\u0043ode</c>, passes the driver's screen and not this one).</summary>
    private static bool MentionsGeneratedCode(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (!NewCode.TextSearch.Contains(tree.GetText(cancellationToken), Marker))
        {
            return false;
        }

        foreach (var token in SyntaxUnits.Tokens(tree.GetRoot(cancellationToken)))
        {
            if (token.ValueText is Marker or Marker + "Attribute")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The symbol or one of its containers (namespaces aside: they carry no attributes) has [GeneratedCode].</summary>
    private static bool IsGeneratedSymbol(ISymbol? symbol, INamedTypeSymbol attribute)
    {
        for (var current = symbol; current is not null; current = current.ContainingSymbol)
        {
            if (current.Kind == SymbolKind.Namespace)
            {
                continue;
            }

            foreach (var data in current.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
