namespace Killswitch.Flags.Matrix;

/// <summary>How <see cref="VariantMatrix"/> combines the variants of several flags into assignments.</summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
enum VariantMatrixStrategy
{
    /// <summary>Every combination: the product of the flags' variant counts. Exhaustive, and grows fast.</summary>
    Cartesian,

    /// <summary>
    /// Every pair of variants of every two flags appears together in at least one assignment (all-pairs testing), in
    /// far fewer assignments than <see cref="Cartesian"/>: most interaction bugs involve two flags. Greedy and deterministic.
    /// </summary>
    Pairwise,

    /// <summary>
    /// Every variant of every flag appears in at least one assignment: as many assignments as the largest flag has
    /// variants. Assignment <c>n</c> serves each flag's <c>n</c>-th variant, or its default once it has run out.
    /// </summary>
    EachVariantOnce,
}
