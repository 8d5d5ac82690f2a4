using System;
using System.Collections.Generic;
using System.Linq;

namespace Killswitch.Flags.Matrix;

/// <summary>
/// The flag variants a test runs under: from a manifest, the chosen flags (optionally only some of their variants) and a
/// <see cref="VariantMatrixStrategy"/>, the list of <see cref="VariantAssignment"/>s to run, each selecting one variant
/// of every chosen flag. Deterministic: the same input gives the same assignments in the same order.
/// </summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed class VariantMatrix
{
    private VariantMatrix(VariantMatrixStrategy strategy, IReadOnlyList<FlagDefinition> flags, IReadOnlyList<IReadOnlyList<string>> variants, IReadOnlyList<VariantAssignment> assignments)
    {
        Strategy = strategy;
        Flags = flags;
        Variants = variants;
        Assignments = assignments;
    }

    /// <summary>The strategy the assignments were made with.</summary>
    public VariantMatrixStrategy Strategy { get; }

    /// <summary>The chosen flags, in the order given.</summary>
    public IReadOnlyList<FlagDefinition> Flags { get; }

    /// <summary>The variant names taken of each flag of <see cref="Flags"/> (all of them, or the subset given), in manifest order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Variants { get; }

    /// <summary>The assignments, in a stable order.</summary>
    public IReadOnlyList<VariantAssignment> Assignments { get; }

    /// <summary>Builds the matrix of every variant of the chosen flags.</summary>
    /// <exception cref="ArgumentException">No flag is chosen, a key is not in the manifest, or a key is chosen twice.</exception>
    public static VariantMatrix Create(FlagManifest manifest, IEnumerable<string> flagKeys, VariantMatrixStrategy strategy) =>
        Create(manifest, flagKeys, strategy, variantSubsets: null);

    /// <summary>Builds the matrix of the chosen flags, taking only the listed variants of the flags in <paramref name="variantSubsets"/>.</summary>
    /// <param name="manifest">The manifest the flags and variants come from.</param>
    /// <param name="flagKeys">The flags to vary, in the order assignment names list them.</param>
    /// <param name="strategy">How to combine the variants.</param>
    /// <param name="variantSubsets">By flag key, the variants to take of that flag (in manifest order, whatever order they are given in); flags not listed take all their variants.</param>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> or <paramref name="flagKeys"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// No flag is chosen; a key is not in the manifest or is chosen twice; a subset names a flag that is not chosen, is
    /// empty, or names a variant the flag does not have. The message names what the manifest has.
    /// </exception>
    public static VariantMatrix Create(
        FlagManifest manifest,
        IEnumerable<string> flagKeys,
        VariantMatrixStrategy strategy,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? variantSubsets)
    {
        if (manifest is null)
        {
            throw new ArgumentNullException(nameof(manifest));
        }

        if (flagKeys is null)
        {
            throw new ArgumentNullException(nameof(flagKeys));
        }

        if (strategy is not (VariantMatrixStrategy.Cartesian or VariantMatrixStrategy.Pairwise or VariantMatrixStrategy.EachVariantOnce))
        {
            throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Use Cartesian, Pairwise or EachVariantOnce.");
        }

        var flags = new List<FlagDefinition>();
        foreach (var key in flagKeys)
        {
            var flag = key is null ? null : manifest.Find(key);
            if (flag is null)
            {
                throw new ArgumentException(
                    $"Flag '{key}' is not in the manifest; its flags are {Describe(manifest.Flags.Select(f => f.Key))}.",
                    nameof(flagKeys));
            }

            if (flags.Any(f => string.Equals(f.Key, flag.Key, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"Flag '{key}' is chosen twice; list each flag once.", nameof(flagKeys));
            }

            flags.Add(flag);
        }

        if (flags.Count == 0)
        {
            throw new ArgumentException("No flag is chosen; name at least one flag of the manifest to vary.", nameof(flagKeys));
        }

        var variants = new List<IReadOnlyList<string>>(flags.Count);
        foreach (var flag in flags)
        {
            variants.Add(SelectVariants(flag, variantSubsets));
        }

        if (variantSubsets is not null)
        {
            foreach (var key in variantSubsets.Keys)
            {
                if (!flags.Any(f => string.Equals(f.Key, key, StringComparison.Ordinal)))
                {
                    throw new ArgumentException(
                        $"Variants are given for flag '{key}', which is not one of the chosen flags ({Describe(flags.Select(f => f.Key))}); choose it, or remove its variants.",
                        nameof(variantSubsets));
                }
            }
        }

        var indexes = strategy switch
        {
            VariantMatrixStrategy.Cartesian => Cartesian(variants),
            VariantMatrixStrategy.Pairwise => Pairwise(variants),
            _ => EachVariantOnce(flags, variants),
        };

        var assignments = new List<VariantAssignment>(indexes.Count);
        foreach (var row in indexes)
        {
            var pairs = new KeyValuePair<string, string>[flags.Count];
            for (var i = 0; i < flags.Count; i++)
            {
                pairs[i] = new KeyValuePair<string, string>(flags[i].Key, variants[i][row[i]]);
            }

            assignments.Add(new VariantAssignment(pairs));
        }

        return new VariantMatrix(strategy, flags, variants, assignments);
    }

    private static List<string> SelectVariants(FlagDefinition flag, IReadOnlyDictionary<string, IReadOnlyList<string>>? variantSubsets)
    {
        var all = flag.Variants.Select(v => v.Name).ToList();
        if (variantSubsets is null || !variantSubsets.TryGetValue(flag.Key, out var subset))
        {
            return all;
        }

        if (subset is null || subset.Count == 0)
        {
            throw new ArgumentException(
                $"No variants are given for flag '{flag.Key}'; name at least one of {Describe(all)}, or leave the flag out of the subsets to take all of them.",
                nameof(variantSubsets));
        }

        foreach (var name in subset)
        {
            if (name is null || flag.FindVariant(name) is null)
            {
                throw new ArgumentException($"Flag '{flag.Key}' has no variant '{name}'; its variants are {Describe(all)}.", nameof(variantSubsets));
            }
        }

        return all.Where(name => subset.Contains(name, StringComparer.Ordinal)).ToList();
    }

    private static List<int[]> Cartesian(List<IReadOnlyList<string>> variants)
    {
        var rows = new List<int[]>();
        var current = new int[variants.Count];
        while (true)
        {
            rows.Add((int[])current.Clone());
            var i = variants.Count - 1;
            while (i >= 0 && ++current[i] == variants[i].Count)
            {
                current[i] = 0;
                i--;
            }

            if (i < 0)
            {
                return rows;
            }
        }
    }

    // Greedy all-pairs, deterministic: each new row starts from the first pair not yet covered (in flag, then variant
    // order) and gives every other flag, in order, the variant that covers the most uncovered pairs with the flags
    // already set (the lowest variant on a tie). Each row covers at least its seed pair, so the loop ends; for three
    // boolean flags it finds the optimum of four rows.
    private static List<int[]> Pairwise(List<IReadOnlyList<string>> variants)
    {
        var count = variants.Count;
        if (count == 1)
        {
            return Cartesian(variants);
        }

        // uncovered[i][j][a * size(j) + b]: the pair (flag i = a, flag j = b), i < j, is not covered yet.
        var uncovered = new bool[count][][];
        var remaining = 0;
        for (var i = 0; i < count; i++)
        {
            uncovered[i] = new bool[count][];
            for (var j = i + 1; j < count; j++)
            {
                uncovered[i][j] = Enumerable.Repeat(true, variants[i].Count * variants[j].Count).ToArray();
                remaining += uncovered[i][j].Length;
            }
        }

        bool IsUncovered(int i, int a, int j, int b) =>
            i < j ? uncovered[i][j][(a * variants[j].Count) + b] : uncovered[j][i][(b * variants[i].Count) + a];

        var rows = new List<int[]>();
        while (remaining > 0)
        {
            var row = Enumerable.Repeat(-1, count).ToArray();
            SeedWithFirstUncoveredPair(row);
            for (var flag = 0; flag < count; flag++)
            {
                if (row[flag] >= 0)
                {
                    continue;
                }

                var best = 0;
                var bestGain = -1;
                for (var candidate = 0; candidate < variants[flag].Count; candidate++)
                {
                    var gain = 0;
                    for (var other = 0; other < count; other++)
                    {
                        if (row[other] >= 0 && IsUncovered(flag, candidate, other, row[other]))
                        {
                            gain++;
                        }
                    }

                    if (gain > bestGain)
                    {
                        best = candidate;
                        bestGain = gain;
                    }
                }

                row[flag] = best;
            }

            for (var i = 0; i < count; i++)
            {
                for (var j = i + 1; j < count; j++)
                {
                    var index = (row[i] * variants[j].Count) + row[j];
                    if (uncovered[i][j][index])
                    {
                        uncovered[i][j][index] = false;
                        remaining--;
                    }
                }
            }

            rows.Add(row);
        }

        return rows;

        void SeedWithFirstUncoveredPair(int[] row)
        {
            for (var i = 0; i < count; i++)
            {
                for (var j = i + 1; j < count; j++)
                {
                    var index = Array.IndexOf(uncovered[i][j], true);
                    if (index >= 0)
                    {
                        row[i] = index / variants[j].Count;
                        row[j] = index % variants[j].Count;
                        return;
                    }
                }
            }
        }
    }

    private static List<int[]> EachVariantOnce(List<FlagDefinition> flags, List<IReadOnlyList<string>> variants)
    {
        var rows = new List<int[]>();
        var length = variants.Max(v => v.Count);
        for (var n = 0; n < length; n++)
        {
            var row = new int[flags.Count];
            for (var i = 0; i < flags.Count; i++)
            {
                if (n < variants[i].Count)
                {
                    row[i] = n;
                }
                else
                {
                    // Out of variants: serve the flag's default variant if it was taken, else its first one.
                    var fallback = flags[i].DefaultVariant is { } name ? IndexOf(variants[i], name) : -1;
                    row[i] = fallback >= 0 ? fallback : 0;
                }
            }

            rows.Add(row);
        }

        return rows;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Describe(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
