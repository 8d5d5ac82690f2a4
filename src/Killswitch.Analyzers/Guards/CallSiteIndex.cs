using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// Where a method's name is used in the files that can hold its callers. A new member's callers are new code too, so
/// with scope Changed only changed files are searched; with scope All, every file. A name is found by a text search
/// of the file, then confirmed on its token: following calls asks for few names, and indexing every identifier of
/// every changed file cost more than the searches (docs/performance.md). A file that may spell an identifier with a
/// Unicode escape (<c>\u0041</c>) is indexed instead, once per file and compilation.
/// </summary>
internal sealed class CallSiteIndex
{
    private readonly NewCodeMap? _map;
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<SyntaxTree, Lazy<Dictionary<string, List<IdentifierNameSyntax>>>> _byTree = new();
    private readonly ConcurrentDictionary<SyntaxTree, TextSearch.Searchable> _texts = new();
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private IReadOnlyList<SyntaxTree>? _searchTrees;

    public CallSiteIndex(Compilation compilation, NewCodeMap? map)
    {
        _compilation = compilation;
        _map = map;
    }

    /// <summary>The trees whose call sites count: the changed files (scope Changed) or all (scope All).</summary>
    public IReadOnlyList<SyntaxTree> SearchTrees
    {
        get
        {
            if (_searchTrees is null)
            {
                var trees = new List<SyntaxTree>();
                foreach (var tree in _compilation.SyntaxTrees)
                {
                    if (_map is null || _map.Find(tree.FilePath) is not null)
                    {
                        trees.Add(tree);
                    }
                }

                _searchTrees = trees;
            }

            return _searchTrees;
        }
    }

    /// <summary>True when the declaration is new: in a new file, or its first line was added.</summary>
    public bool IsNewDeclaration(SyntaxNode declaration)
    {
        if (_map is null)
        {
            return true;
        }

        var file = _map.Find(declaration.SyntaxTree.FilePath);
        if (file is null)
        {
            return false;
        }

        var anchor = declaration is CompilationUnitSyntax ? declaration.GetFirstToken().Span : SyntaxUnits.NameLocation(declaration).SourceSpan;
        return file.IsLineAdded(declaration.SyntaxTree.GetLineSpan(anchor).StartLinePosition.Line);
    }

    /// <summary>One semantic model per other file and compilation, so callers' files are bound once, not per path.</summary>
    public SemanticModel Model(SyntaxTree tree) =>
#pragma warning disable RS1030 // Call sites in other files decide whether a new member is only reached under a flag.
        _models.GetOrAdd(tree, t => _compilation.GetSemanticModel(t));
#pragma warning restore RS1030

    /// <summary>The identifier names spelling <paramref name="name"/> in the tree, in document order.</summary>
    public IReadOnlyList<IdentifierNameSyntax> Find(SyntaxTree tree, string name, CancellationToken cancellationToken)
    {
        var text = _texts.GetOrAdd(tree, t => new TextSearch.Searchable(t.GetText(cancellationToken)));
        if (text.MayHoldUnicodeEscape)
        {
            // Members of one tree are judged on several threads at once: build each index once.
            var index = _byTree.GetOrAdd(tree, t => new Lazy<Dictionary<string, List<IdentifierNameSyntax>>>(() => Build(t, cancellationToken))).Value;
            return index.TryGetValue(name, out var indexed) ? indexed : (IReadOnlyList<IdentifierNameSyntax>)Array.Empty<IdentifierNameSyntax>();
        }

        List<IdentifierNameSyntax>? names = null;
        foreach (var identifier in text.IdentifierNames(tree.GetRoot(cancellationToken), name, from: 0))
        {
            (names ??= new List<IdentifierNameSyntax>()).Add(identifier);
        }

        return names ?? (IReadOnlyList<IdentifierNameSyntax>)Array.Empty<IdentifierNameSyntax>();
    }

    private static Dictionary<string, List<IdentifierNameSyntax>> Build(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var index = new Dictionary<string, List<IdentifierNameSyntax>>(StringComparer.Ordinal);
        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
        {
            if (node is IdentifierNameSyntax name)
            {
                var text = name.Identifier.ValueText;
                if (!index.TryGetValue(text, out var list))
                {
                    list = new List<IdentifierNameSyntax>();
                    index[text] = list;
                }

                list.Add(name);
            }
        }

        return index;
    }
}
