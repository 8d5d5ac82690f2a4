using System.Globalization;
using System.Text;

namespace Killswitch.Flags.Tests;

/// <summary>A plain-text picture of a manifest, for tests that compare a whole outcome: every flag, then every diagnostic.</summary>
internal static class ManifestDump
{
    public static string Describe(FlagManifest manifest)
    {
        var builder = new StringBuilder();
        foreach (var flag in manifest.Flags)
        {
            builder.Append(CultureInfo.InvariantCulture, $"flag {flag.Key}: {flag.Type}, {flag.Format}, {flag.State}, at {flag.Location}\n");
            builder.Append("  variants: ").Append(string.Join(", ", flag.Variants.Select(v => v.ToString()))).Append('\n');
            builder.Append("  default: ").Append(flag.DefaultVariant is null ? "(code default)" : flag.DefaultVariant + " = " + flag.DefaultValue!.ToJson()).Append('\n');
            if (flag.Targeting is not null)
            {
                builder.Append("  targeting: ").Append(flag.Targeting.ToJson()).Append('\n');
            }

            if (flag.Description is not null)
            {
                builder.Append("  description: ").Append(flag.Description).Append('\n');
            }

            if (flag.Metadata.Values.Count > 0)
            {
                var entries = flag.Metadata.Values.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + e.Value.ToJson());
                builder.Append("  metadata: ").Append(string.Join(", ", entries));
                if (flag.Metadata.Expiry is { } expiry)
                {
                    builder.Append("; expires ").Append(expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                if (flag.Metadata.Permanent)
                {
                    builder.Append("; permanent");
                }

                builder.Append('\n');
            }
        }

        foreach (var diagnostic in manifest.Diagnostics)
        {
            builder.Append(diagnostic).Append(diagnostic.FlagKey is null ? string.Empty : " [flag " + diagnostic.FlagKey + "]").Append('\n');
        }

        return builder.ToString();
    }
}
