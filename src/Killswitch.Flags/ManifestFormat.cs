namespace Killswitch.Flags;

/// <summary>The file format a flag was read from.</summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
enum ManifestFormat
{
    /// <summary>A flagd flag-definition file (<c>https://flagd.dev/schema/v0/flags.json</c>): <c>state</c>, <c>variants</c>, <c>defaultVariant</c>, <c>targeting</c>.</summary>
    Flagd,

    /// <summary>An OpenFeature CLI flag manifest: <c>flagType</c>, <c>defaultValue</c>, <c>description</c>.</summary>
    OpenFeatureCli,
}
