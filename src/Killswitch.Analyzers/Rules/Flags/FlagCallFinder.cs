using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Killswitch.Analyzers.Guards;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Rules.Flags;

/// <summary>
/// Finds the flag evaluations of an operation block without visiting every operation: the flag rules take one callback
/// per block and reach the flag calls from it, instead of an invocation callback for every call of the compilation
/// (about 110,000 on the generated benchmark project, 6,000 of them flag calls; each callback pays the driver's
/// overhead, docs/performance.md).
/// <para>
/// Per tree, once: the positions of identifier tokens whose name <see cref="FlagApi.MayEvaluateFlag"/> accepts, found by
/// a text search for fragments every such name contains (<see cref="FlagApi.FlagMethodNameFragments"/>) and confirmed
/// on the token (comments and strings hold no identifier token). A flag call names its method in its own syntax, so only
/// operations whose syntax holds one of those positions can be or contain one; the others are not visited. A tree that
/// may spell identifiers with Unicode escapes (<c>\u0041</c>) is not screened: every operation of it is visited.
/// </para>
/// </summary>
internal sealed class FlagCallFinder
{
    /// <summary>Marks a tree whose operations are all visited (reference identity; an empty array visits none).</summary>
    private static readonly int[] Unscreened = new int[1];

    private readonly FlagApi _api;
    private readonly string[] _fragments;

    // int[] values: a reference-typed instantiation, which the precompiled image holds (docs/performance.md).
    private readonly ConcurrentDictionary<SyntaxTree, int[]> _positions = new();

    public FlagCallFinder(FlagApi api)
    {
        _api = api;
        _fragments = api.FlagMethodNameFragments();
    }

    /// <summary>
    /// Calls <paramref name="onCall"/> for each invocation among the operations of <paramref name="blocks"/> whose
    /// method name a flag API uses (<see cref="FlagApi.MayEvaluateFlag"/>), in tree order. Only the operations whose
    /// syntax holds one of the tree's flag method names are visited: a block without one costs a binary search.
    /// </summary>
    public void ForEachFlagCall(ImmutableArray<IOperation> blocks, Action<IInvocationOperation> onCall, CancellationToken cancellationToken)
    {
        foreach (var block in blocks)
        {
            var positions = _positions.GetOrAdd(block.Syntax.SyntaxTree, tree => Find(tree, cancellationToken));
            if (MayHold(positions, block))
            {
                Visit(block, positions, onCall);
            }
        }
    }

    private void Visit(IOperation operation, int[] positions, Action<IInvocationOperation> onCall)
    {
        if (operation is IInvocationOperation invocation && _api.MayEvaluateFlag(invocation.TargetMethod.Name))
        {
            onCall(invocation);
        }

        // An operation's children lie in its syntax (as RegionOperations relies on), and a call names its method there.
        foreach (var child in operation.ChildOperations)
        {
            if (MayHold(positions, child))
            {
                Visit(child, positions, onCall);
            }
        }
    }

    private static bool MayHold(int[] positions, IOperation operation) =>
        ReferenceEquals(positions, Unscreened) || AnyWithin(positions, operation.Syntax.Span.Start, operation.Syntax.Span.End);

    private int[] Find(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var text = new TextSearch.Searchable(tree.GetText(cancellationToken));
        if (text.MayHoldUnicodeEscape)
        {
            return Unscreened;
        }

        var root = tree.GetRoot(cancellationToken);
        List<int>? found = null;
        foreach (var fragment in _fragments)
        {
            foreach (var at in text.Occurrences(fragment))
            {
                var token = root.FindToken(at);
                if (token.Span.Contains(at) && token.RawKind == (int)SyntaxKind.IdentifierToken && _api.MayEvaluateFlag(token.ValueText))
                {
                    (found ??= new List<int>()).Add(token.SpanStart);
                }
            }
        }

        if (found is null)
        {
            return Array.Empty<int>();
        }

        found.Sort();
        return found.ToArray();
    }

    private static bool AnyWithin(int[] sorted, int start, int end)
    {
        // The first position at or after start, by binary search; it must also lie before end.
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >> 1;
            if (sorted[mid] < start)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low < sorted.Length && sorted[low] < end;
    }
}
