using System.Globalization;
using System.Text;

namespace Killswitch.Flags.Benchmarks;

/// <summary>
/// Writes a flagd file the size of a large product's manifest: every flag type, targeting on about half the flags (a
/// third of those through shared evaluators), metadata on every flag with lifecycle entries on some. Deterministic, so
/// every run parses the same text.
/// </summary>
internal static class ManifestGenerator
{
    public const int EvaluatorCount = 20;

    public static string Generate(int flagCount)
    {
        var builder = new StringBuilder();
        builder.Append("{\n  \"$schema\": \"https://flagd.dev/schema/v0/flags.json\",\n  \"flags\": {\n");
        for (var i = 0; i < flagCount; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"    \"team-{i % 40}.feature-{i}\": {{\n");
            builder.Append(CultureInfo.InvariantCulture, $"      \"state\": \"{(i % 25 == 0 ? "DISABLED" : "ENABLED")}\",\n");
            builder.Append("      \"variants\": ").Append(Variants(i, out var first, out var second)).Append(",\n");
            builder.Append(CultureInfo.InvariantCulture, $"      \"defaultVariant\": {(i % 50 == 0 ? "null" : "\"" + first + "\"")},\n");
            if (i % 2 == 0)
            {
                builder.Append("      \"targeting\": ").Append(Targeting(i, first, second)).Append(",\n");
            }

            builder.Append(CultureInfo.InvariantCulture, $"      \"metadata\": {{ \"owner\": \"team-{i % 40}\", \"ticket\": {10_000 + i}");
            if (i % 10 == 0)
            {
                builder.Append(", \"permanent\": true");
            }
            else if (i % 3 == 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $", \"expiry\": \"2026-{1 + (i % 12):00}-{1 + (i % 28):00}\"");
            }

            builder.Append(" }\n    }").Append(i + 1 < flagCount ? ",\n" : "\n");
        }

        builder.Append("  },\n  \"$evaluators\": {\n");
        for (var e = 0; e < EvaluatorCount; e++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"    \"segment-{e}\": {{ \"and\": [{{ \"ends_with\": [{{ \"var\": \"email\" }}, \"@tenant-{e}.example\"] }}, {{ \"in\": [{{ \"var\": \"region\" }}, [\"eu\", \"us\", \"apac\"]] }}] }}");
            builder.Append(e + 1 < EvaluatorCount ? ",\n" : "\n");
        }

        builder.Append("  }\n}\n");
        return builder.ToString();
    }

    private static string Variants(int i, out string first, out string second)
    {
        switch (i % 5)
        {
            case 0:
            case 1:
                first = "on";
                second = "off";
                return "{ \"on\": true, \"off\": false }";
            case 2:
                first = "control";
                second = "treatment";
                return "{ \"control\": \"classic-layout\", \"treatment\": \"compact-layout\", \"holdout\": \"legacy-layout\" }";
            case 3:
                first = "low";
                second = "high";
                return string.Create(CultureInfo.InvariantCulture, $"{{ \"low\": {i % 7}, \"high\": {100 + i}, \"rate\": 0.{i % 9 + 1} }}");
            default:
                first = "light";
                second = "dark";
                return "{ \"light\": { \"background\": \"#ffffff\", \"fonts\": [\"Inter\", \"Roboto\"], \"scale\": 1.0 }, "
                    + "\"dark\": { \"background\": \"#101010\", \"fonts\": [\"Inter\"], \"scale\": 1.25 } }";
        }
    }

    private static string Targeting(int i, string first, string second)
    {
        if (i % 3 == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{{ \"if\": [{{ \"$ref\": \"segment-{i % EvaluatorCount}\" }}, \"{second}\", null] }}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{{ \"fractional\": [{{ \"cat\": [{{ \"var\": \"$flagd.flagKey\" }}, {{ \"var\": \"userId\" }}] }}, [\"{first}\", 90], [\"{second}\", 10]] }}");
    }
}
