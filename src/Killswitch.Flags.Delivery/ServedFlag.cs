using Killswitch.Flags.Matrix;

namespace Killswitch.Flags.Delivery;

/// <summary>What one flag serves under an assignment: the same answer over OFREP, in variables and in a flagd file.</summary>
internal sealed record ServedFlag(FlagDefinition Flag, FlagDefinition Served, string? Variant, FlagValue? Value, string Reason)
{
    /// <summary>
    /// Every flag of the manifest, in order: a flag of the assignment serves its selected variant (reason STATIC); any
    /// other flag serves what the manifest says: nothing when it is disabled (DISABLED) or has no default variant
    /// (DEFAULT: the caller's code default), else its default variant (STATIC; DEFAULT when it has targeting, which
    /// Killswitch does not evaluate).
    /// </summary>
    /// <exception cref="ArgumentException">The assignment names a flag or variant the manifest does not have.</exception>
    public static IReadOnlyList<ServedFlag> Resolve(FlagManifest manifest, VariantAssignment? assignment)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (assignment is not null)
        {
            foreach (var (key, variant) in assignment.Variants)
            {
                var flag = manifest.Find(key) ?? throw new ArgumentException(
                    $"Assignment '{assignment.Name}' selects flag '{key}', which is not in the manifest; its flags are {string.Join(", ", manifest.Flags.Select(f => f.Key))}.",
                    nameof(assignment));
                if (flag.FindVariant(variant) is null)
                {
                    throw new ArgumentException(
                        $"Assignment '{assignment.Name}' selects variant '{variant}' of flag '{key}', which has no such variant; its variants are {string.Join(", ", flag.Variants.Select(v => v.Name))}.",
                        nameof(assignment));
                }
            }
        }

        var served = new List<ServedFlag>(manifest.Flags.Count);
        foreach (var flag in manifest.Flags)
        {
            if (assignment?.FindVariant(flag.Key) is { } selected)
            {
                served.Add(new ServedFlag(flag, flag.WithServedVariant(selected), selected, flag.FindVariant(selected)!.Value, OfrepConstants.ReasonStatic));
            }
            else if (flag.State == FlagState.Disabled)
            {
                served.Add(new ServedFlag(flag, flag, null, null, OfrepConstants.ReasonDisabled));
            }
            else if (flag.DefaultVariant is null)
            {
                served.Add(new ServedFlag(flag, flag, null, null, OfrepConstants.ReasonDefault));
            }
            else
            {
                var reason = flag.HasTargeting ? OfrepConstants.ReasonDefault : OfrepConstants.ReasonStatic;
                served.Add(new ServedFlag(flag, flag, flag.DefaultVariant, flag.DefaultValue, reason));
            }
        }

        return served;
    }
}
