using System;
using System.Collections.Generic;
using System.Threading;
using Killswitch.Analyzers.Guards;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Rules.Flags;

/// <summary>
/// Finds the flag evaluations of a syntax tree from its text: the flag rules take one callback per tree and reach the
/// flag calls from it, instead of an invocation callback for every call of the compilation (about 110,000 on the
/// generated benchmark project, 6,000 of them flag calls; the callbacks for the others were a third of the flag rules'
/// time, docs/performance.md).
/// <para>
/// Every name <see cref="FlagApi.MayEvaluateFlag"/> accepts holds one of <see cref="FlagApi.FlagMethodNameFragments"/>:
/// each occurrence of one in the text is widened to the identifier around it (by the C# identifier characters), the
/// name tested, and only then confirmed on the tree's token (comments, strings and inactive code have no identifier
/// token there). An identifier spelled with a Unicode escape (<c>Get\u0042ooleanValueAsync</c>) is found from its
/// escape instead. A confirmed name that is the called method of an invocation is that invocation's operation, the
/// one the driver's invocation callback would have been given.
/// </para>
/// </summary>
internal sealed class FlagCallFinder
{
    private static readonly Comparison<SyntaxNode> BySpanStart = (x, y) => x.SpanStart.CompareTo(y.SpanStart);

    private readonly FlagApi _api;
    private readonly string[] _fragments;

    public FlagCallFinder(FlagApi api)
    {
        _api = api;
        _fragments = api.FlagMethodNameFragments();
    }

    /// <summary>
    /// Calls <paramref name="onCall"/> for each invocation of the tree whose method name a flag API uses
    /// (<see cref="FlagApi.MayEvaluateFlag"/>), in text order.
    /// </summary>
    public void ForEachFlagCall(SemanticModel model, TextSearch.Searchable text, Action<IInvocationOperation> onCall, CancellationToken cancellationToken)
    {
        var root = model.SyntaxTree.GetRoot(cancellationToken);
        // Name nodes, not tokens: a list of a Roslyn struct is generic code no precompiled image holds (docs/performance.md).
        var names = new List<SyntaxNode>();
        foreach (var fragment in _fragments)
        {
            var lastWord = -1;
            foreach (var at in text.Occurrences(fragment))
            {
                var start = at;
                while (start > 0 && SyntaxFacts.IsIdentifierPartCharacter(text.CharAt(start - 1)))
                {
                    start--;
                }

                if (start == lastWord)
                {
                    continue; // the fragment twice in one word
                }

                lastWord = start;
                var end = at + fragment.Length;
                while (end < text.Length && SyntaxFacts.IsIdentifierPartCharacter(text.CharAt(end)))
                {
                    end++;
                }

                if (_api.MayEvaluateFlag(text.Substring(start, end - start)))
                {
                    AddName(root.FindToken(start), start, names);
                }
            }
        }

        if (text.MayHoldUnicodeEscape)
        {
            foreach (var at in text.Occurrences("\\"))
            {
                if (at + 1 < text.Length && text.CharAt(at + 1) is 'u' or 'U')
                {
                    AddName(root.FindToken(at), at, names);
                }
            }
        }

        if (names.Count == 0)
        {
            return;
        }

        names.Sort(BySpanStart);
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0 && names[i] == names[i - 1])
            {
                continue; // found by two fragments, or by a fragment and an escape
            }

            if (CalledBy((SimpleNameSyntax)names[i]) is { } call && model.GetOperation(call, cancellationToken) is IInvocationOperation invocation
                && _api.MayEvaluateFlag(invocation.TargetMethod.Name))
            {
                onCall(invocation);
            }
        }
    }

    /// <summary>Keeps the token at <paramref name="position"/> when it is an identifier a flag API may name.</summary>
    private void AddName(SyntaxToken token, int position, List<SyntaxNode> names)
    {
        if (token.Span.Contains(position) && token.RawKind == (int)SyntaxKind.IdentifierToken && token.Parent is SimpleNameSyntax name
            && _api.MayEvaluateFlag(token.ValueText))
        {
            names.Add(name);
        }
    }

    /// <summary>The invocation whose called method the name is: <c>M(..)</c>, <c>x.M(..)</c>, <c>x?.M(..)</c>,
    /// <c>x.M&lt;T&gt;(..)</c>, <c>(x.M)(..)</c>.</summary>
    private static InvocationExpressionSyntax? CalledBy(SimpleNameSyntax name)
    {
        SyntaxNode callee = name;
        if (callee.Parent is MemberAccessExpressionSyntax access && access.Name == callee)
        {
            callee = access;
        }
        else if (callee.Parent is MemberBindingExpressionSyntax binding && binding.Name == callee)
        {
            callee = binding;
        }

        while (callee.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            callee = parenthesized;
        }

        return callee.Parent is InvocationExpressionSyntax invocation && invocation.Expression == callee ? invocation : null;
    }
}
