using System;
using System.Collections.Generic;
using System.Linq;

namespace Killswitch.Flags.Matrix;

/// <summary>
/// One row of the <see cref="VariantMatrix"/>: the variant each chosen flag serves, by flag key, in the order the flags
/// were chosen. Its <see cref="Name"/> (<c>new-checkout=on,checkout-flow=wizard</c>) is stable across runs, so it can
/// name a test case.
/// </summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed class VariantAssignment : IEquatable<VariantAssignment>
{
    private readonly Dictionary<string, string> _byKey;

    /// <summary>Creates an assignment from flag keys and variant names, in the order given.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="variants"/>, a key or a variant name is null.</exception>
    /// <exception cref="ArgumentException">A key is given twice, or a key or variant name is empty.</exception>
    public VariantAssignment(IEnumerable<KeyValuePair<string, string>> variants)
    {
        if (variants is null)
        {
            throw new ArgumentNullException(nameof(variants));
        }

        var list = new List<KeyValuePair<string, string>>();
        _byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in variants)
        {
            if (pair.Key is null || pair.Value is null)
            {
                throw new ArgumentNullException(nameof(variants), "A flag key or variant name is null.");
            }

            if (pair.Key.Length == 0 || pair.Value.Length == 0)
            {
                throw new ArgumentException("A flag key or variant name is empty.", nameof(variants));
            }

            if (_byKey.ContainsKey(pair.Key))
            {
                throw new ArgumentException($"Flag '{pair.Key}' is given twice; an assignment selects one variant per flag.", nameof(variants));
            }

            _byKey.Add(pair.Key, pair.Value);
            list.Add(pair);
        }

        Variants = list;
        Name = string.Join(",", list.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>The selected variant name of each flag, by flag key, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variants { get; }

    /// <summary>The stable name: <c>key=variant</c> pairs joined by commas, in order, e.g. <c>new-checkout=on,checkout-flow=wizard</c>.</summary>
    public string Name { get; }

    /// <summary>Returns the variant selected for <paramref name="flagKey"/>, or null when the assignment does not include that flag.</summary>
    public string? FindVariant(string flagKey) =>
        flagKey is not null && _byKey.TryGetValue(flagKey, out var variant) ? variant : null;

    /// <summary>Parses a <see cref="Name"/> back (<c>a=on,b=off</c>); keys and variant names must not contain <c>,</c> or <c>=</c>.</summary>
    /// <exception cref="FormatException">The text is not a list of <c>key=variant</c> pairs.</exception>
    public static VariantAssignment Parse(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in name.Split(','))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0 || equals == part.Length - 1 || part.IndexOf('=', equals + 1) >= 0)
            {
                throw new FormatException($"'{name}' is not a variant assignment: write key=variant pairs separated by commas, e.g. new-checkout=on,checkout-flow=wizard.");
            }

            pairs.Add(new KeyValuePair<string, string>(part.Substring(0, equals), part.Substring(equals + 1)));
        }

        try
        {
            return new VariantAssignment(pairs);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"'{name}' is not a variant assignment: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public bool Equals(VariantAssignment? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as VariantAssignment);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Returns <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
