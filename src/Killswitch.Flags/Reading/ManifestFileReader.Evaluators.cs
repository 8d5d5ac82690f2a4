using System.Collections.Generic;
using System.Linq;
using Killswitch.Flags.Json;

namespace Killswitch.Flags.Reading;

/// <summary>
/// <c>$evaluators</c>: shared targeting rules that a targeting rule (or another evaluator) uses with
/// <c>{"$ref": "name"}</c>. Each evaluator is resolved once, before the flags; a reference to an evaluator that has an
/// error is itself an error of the flag, so every skipped flag has a diagnostic of its own.
/// </summary>
internal sealed partial class ManifestFileReader
{
    /// <summary>How many evaluators deep a <c>$ref</c> may lead (a rule using an evaluator using an evaluator ...).</summary>
    public const int MaxReferenceDepth = 8;

    /// <summary>How many JSON values a rule may expand to through <c>$ref</c>: shared evaluators can double a rule per level.</summary>
    public const long MaxExpandedSize = 100_000;

    private SourceLocation _lastFailure;

    private void CollectEvaluators(FlagValue evaluators)
    {
        if (evaluators.Kind != FlagValueKind.Object)
        {
            Report(ManifestErrorCode.InvalidStructure, ManifestMessages.EvaluatorsWrongType(evaluators), evaluators.Offset, flagKey: null);
            return;
        }

        var properties = evaluators.AsObject();
        for (var i = 0; i < properties.Count; i++)
        {
            if (properties[i].Key.Length == 0)
            {
                Report(ManifestErrorCode.EmptyName, ManifestMessages.EmptyEvaluatorName, evaluators.KeyOffsets![i], flagKey: null);
                continue;
            }

            // As in most JSON readers, a name given twice takes the last body.
            _evaluators[properties[i].Key] = new Evaluator(properties[i].Key, properties[i].Value);
        }
    }

    private void ResolveEvaluators()
    {
        foreach (var evaluator in _evaluators.Values)
        {
            if (evaluator.State == EvaluatorState.NotResolved)
            {
                ResolveEvaluator(evaluator);
            }
        }
    }

    private void ResolveEvaluator(Evaluator evaluator)
    {
        evaluator.State = EvaluatorState.Resolving;
        _resolving.Add(evaluator.Name);
        var errors = _diagnostics.Count;
        var resolved = Resolve(evaluator.Body, ManifestMessages.EvaluatorOwner(evaluator.Name), flagKey: null, out var size);
        evaluator.Size = size;
        _resolving.RemoveAt(_resolving.Count - 1);
        if (resolved is null)
        {
            evaluator.State = EvaluatorState.Failed;
            evaluator.Error = _diagnostics.Count > errors ? _diagnostics[errors].Location : _lastFailure;
        }
        else
        {
            evaluator.State = EvaluatorState.Resolved;
            evaluator.Body = resolved;
        }
    }

    /// <summary>Returns the rule with every <c>$ref</c> replaced (the same instance when it has none), or null after reporting a bad one.</summary>
    private FlagValue? Resolve(FlagValue node, string owner, string? flagKey, out long size)
    {
        var failed = false;
        size = 0;
        var resolved = Resolve(node, owner, flagKey, ref failed, ref size);
        if (!failed && size > MaxExpandedSize)
        {
            Report(ManifestErrorCode.ReferenceLimitExceeded, ManifestMessages.ExpandedTooLarge(owner, MaxExpandedSize), node.Offset, flagKey);
            failed = true;
        }

        return failed ? null : resolved;
    }

    // size counts the values of the rule once every $ref is replaced: the nodes written here plus each evaluator's size.
    private FlagValue Resolve(FlagValue node, string owner, string? flagKey, ref bool failed, ref long size)
    {
        if (node.Kind == FlagValueKind.Object)
        {
            if (node.FindProperty("$ref") is { } reference)
            {
                var evaluator = ResolveReference(reference, owner, flagKey, ref failed);
                if (evaluator is null)
                {
                    return node;
                }

                size += evaluator.Size;
                return evaluator.Body;
            }

            size++;

            var properties = node.AsObject();
            KeyValuePair<string, FlagValue>[]? copy = null;
            for (var i = 0; i < properties.Count; i++)
            {
                var value = Resolve(properties[i].Value, owner, flagKey, ref failed, ref size);
                if (!ReferenceEquals(value, properties[i].Value))
                {
                    copy ??= properties.ToArray();
                    copy[i] = new KeyValuePair<string, FlagValue>(properties[i].Key, value);
                }
            }

            return copy is null ? node : FlagValue.CreateObject(copy, node.Offset, node.KeyOffsets);
        }

        size++;
        if (node.Kind == FlagValueKind.Array)
        {
            var items = node.AsArray();
            FlagValue[]? copy = null;
            for (var i = 0; i < items.Count; i++)
            {
                var item = Resolve(items[i], owner, flagKey, ref failed, ref size);
                if (!ReferenceEquals(item, items[i]))
                {
                    copy ??= items.ToArray();
                    copy[i] = item;
                }
            }

            return copy is null ? node : FlagValue.CreateArray(copy, node.Offset);
        }

        return node;
    }

    private Evaluator? ResolveReference(FlagValue reference, string owner, string? flagKey, ref bool failed)
    {
        if (reference.Kind != FlagValueKind.String)
        {
            Report(ManifestErrorCode.UnresolvedReference, ManifestMessages.ReferenceWrongType(owner, reference), reference.Offset, flagKey);
            failed = true;
            return null;
        }

        var name = reference.AsString();
        if (!_evaluators.TryGetValue(name, out var evaluator))
        {
            var defined = _evaluators.Count == 0 ? NoNames : _evaluators.Keys.ToArray();
            Report(ManifestErrorCode.UnresolvedReference, ManifestMessages.UnresolvedReference(owner, name, defined), reference.Offset, flagKey);
            failed = true;
            return null;
        }

        if (evaluator.State == EvaluatorState.NotResolved)
        {
            if (_resolving.Count >= MaxReferenceDepth)
            {
                Report(ManifestErrorCode.ReferenceLimitExceeded, ManifestMessages.ReferencesTooDeep(_resolving.Concat([name]), MaxReferenceDepth), reference.Offset, flagKey);
                failed = true;
                return null;
            }

            ResolveEvaluator(evaluator);
        }

        switch (evaluator.State)
        {
            case EvaluatorState.Resolved:
                return evaluator;
            case EvaluatorState.Resolving:
                var cycle = _resolving.Skip(_resolving.IndexOf(name)).Concat([name]);
                Report(ManifestErrorCode.CircularReference, ManifestMessages.CircularReference(cycle), reference.Offset, flagKey);
                break;
            default:
                // The evaluator's own error is already reported. A flag gets a diagnostic of its own (it is skipped);
                // an evaluator that uses a broken one just fails, pointing at the root cause.
                _lastFailure = evaluator.Error;
                if (flagKey is not null)
                {
                    var error = evaluator.Error;
                    Report(ManifestErrorCode.UnresolvedReference, ManifestMessages.BrokenReference(owner, name, new TextPosition(error.Line, error.Column)), reference.Offset, flagKey);
                }

                break;
        }

        failed = true;
        return null;
    }

    private enum EvaluatorState
    {
        NotResolved,
        Resolving,
        Resolved,
        Failed,
    }

    private sealed class Evaluator
    {
        public Evaluator(string name, FlagValue body)
        {
            Name = name;
            Body = body;
        }

        public string Name { get; }

        /// <summary>The rule as written, then as resolved.</summary>
        public FlagValue Body { get; set; }

        public EvaluatorState State { get; set; }

        /// <summary>How many JSON values the resolved body holds.</summary>
        public long Size { get; set; }

        /// <summary>Where the evaluator's first error was reported, once it has failed.</summary>
        public SourceLocation Error { get; set; }
    }
}
