using System;
using System.Collections.Generic;

namespace Killswitch.Analyzers.NewCode;

/// <summary>
/// How many times each string occurs (member keys, fingerprints of units). A dictionary of counter objects rather than
/// of ints: a dictionary with int values is generic code that no precompiled image holds, which the runtime compiled
/// in every build's fresh compiler process; one with reference values is shared, precompiled code (docs/performance.md).
/// </summary>
internal sealed class StringCounts
{
    private readonly Dictionary<string, Counter> _counts = new(StringComparer.Ordinal);

    public StringCounts()
    {
    }

    public StringCounts(IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            Add(item);
        }
    }

    /// <summary>How many times <paramref name="key"/> was added (and not taken).</summary>
    public int this[string key] => _counts.TryGetValue(key, out var counter) ? counter.Value : 0;

    public StringCounts Copy()
    {
        var copy = new StringCounts();
        foreach (var pair in _counts)
        {
            copy._counts[pair.Key] = new Counter { Value = pair.Value.Value };
        }

        return copy;
    }

    public void Add(string key)
    {
        if (_counts.TryGetValue(key, out var counter))
        {
            counter.Value++;
        }
        else
        {
            _counts[key] = new Counter { Value = 1 };
        }
    }

    public bool Contains(string key) => _counts.ContainsKey(key);

    /// <summary>Takes one occurrence of <paramref name="key"/>; false when none is left.</summary>
    public bool TryTake(string key)
    {
        if (_counts.TryGetValue(key, out var counter) && counter.Value > 0)
        {
            counter.Value--;
            return true;
        }

        return false;
    }

    private sealed class Counter
    {
        public int Value;
    }
}
