using System;
using System.Collections.Generic;

namespace Killswitch.Build.Reports;

/// <summary>
/// Reads the Killswitch results (rule IDs starting with KS) out of the compiler's SARIF log: version 2.1.0, which
/// Killswitch asks for, or 1.0.0, the compiler's default when a user configured <c>ErrorLog</c> without a version.
/// Results suppressed in source (<c>#pragma</c>, <c>[SuppressMessage]</c>) are left out.
/// </summary>
internal static class SarifReader
{
    public const string BaselineKeyProperty = "KillswitchBaselineKey";

    /// <exception cref="FormatException">The text is not a SARIF log the reader understands.</exception>
    public static IReadOnlyList<Finding> Read(string json)
    {
        if (JsonReader.Parse(json) is not Dictionary<string, object?> log || log.Get("runs") is not List<object?> runs)
        {
            throw new FormatException("The file is not a SARIF log: it has no 'runs' array.");
        }

        var isVersion1 = log.Get("version") is string version && version.StartsWith("1.", StringComparison.Ordinal);
        var findings = new List<Finding>();
        foreach (var run in runs)
        {
            if (run is not Dictionary<string, object?> runObject || runObject.Get("results") is not List<object?> results)
            {
                continue;
            }

            var baseIds = runObject.Get("originalUriBaseIds") as Dictionary<string, object?>;
            var rules = Rules(runObject, isVersion1);
            foreach (var entry in results)
            {
                if (entry is not Dictionary<string, object?> result
                    || result.Get("ruleId") is not string ruleId
                    || !ruleId.StartsWith("KS", StringComparison.Ordinal)
                    || IsSuppressed(result))
                {
                    continue;
                }

                var message = isVersion1 ? result.Get("message") as string : (result.Get("message") as Dictionary<string, object?>)?.Get("text") as string;
                var (path, line, column) = Location(result, isVersion1, baseIds);
                var key = ((result.Get("properties") as Dictionary<string, object?>)?.Get("customProperties") as Dictionary<string, object?>)?.Get(BaselineKeyProperty) as string;
                var ruleIndex = result.Get("ruleIndex") is double index ? (int)index : -1;
                var helpUri = ruleIndex >= 0 && ruleIndex < rules.Count && rules[ruleIndex].Id == ruleId ? rules[ruleIndex].HelpUri : rules.Find(r => r.Id == ruleId).HelpUri;
                findings.Add(new Finding(ruleId, result.Get("level") as string ?? "warning", message ?? string.Empty, path, line, column, key, helpUri));
            }
        }

        return findings;
    }

    private static bool IsSuppressed(Dictionary<string, object?> result) =>
        (result.Get("suppressions") is List<object?> suppressions && suppressions.Count > 0)
        || (result.Get("suppressionStates") is List<object?> states && states.Count > 0);

    private static (string? Path, int Line, int Column) Location(Dictionary<string, object?> result, bool isVersion1, Dictionary<string, object?>? baseIds)
    {
        if (result.Get("locations") is not List<object?> locations || locations.Count == 0 || locations[0] is not Dictionary<string, object?> location)
        {
            return (null, 0, 0);
        }

        var physical = isVersion1 ? location.Get("resultFile") as Dictionary<string, object?> : location.Get("physicalLocation") as Dictionary<string, object?>;
        var artifact = isVersion1 ? physical : physical?.Get("artifactLocation") as Dictionary<string, object?>;
        var region = physical?.Get("region") as Dictionary<string, object?>;
        var uri = artifact?.Get("uri") as string;
        var baseId = artifact?.Get("uriBaseId") as string;
        var baseUri = baseId is null ? null : (baseIds?.Get(baseId) as Dictionary<string, object?>)?.Get("uri") as string;
        return (ToLocalPath(uri, baseUri), Number(region?.Get("startLine")), Number(region?.Get("startColumn")));
    }

    private static string? ToLocalPath(string? uri, string? baseUri)
    {
        if (uri is null)
        {
            return null;
        }

        if (Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.IsFile)
        {
            return absolute.LocalPath;
        }

        if (baseUri is not null && Uri.TryCreate(baseUri, UriKind.Absolute, out var root) && Uri.TryCreate(root, uri, out var combined) && combined.IsFile)
        {
            return combined.LocalPath;
        }

        return Uri.UnescapeDataString(uri);
    }

    private static List<(string Id, string? HelpUri)> Rules(Dictionary<string, object?> run, bool isVersion1)
    {
        var rules = new List<(string Id, string? HelpUri)>();
        if (isVersion1)
        {
            if (run.Get("rules") is Dictionary<string, object?> byId)
            {
                foreach (var pair in byId)
                {
                    rules.Add((pair.Key, (pair.Value as Dictionary<string, object?>)?.Get("helpUri") as string));
                }
            }

            return rules;
        }

        var driver = (run.Get("tool") as Dictionary<string, object?>)?.Get("driver") as Dictionary<string, object?>;
        if (driver?.Get("rules") is List<object?> list)
        {
            foreach (var rule in list)
            {
                var ruleObject = rule as Dictionary<string, object?>;
                rules.Add((ruleObject?.Get("id") as string ?? string.Empty, ruleObject?.Get("helpUri") as string));
            }
        }

        return rules;
    }

    private static int Number(object? value) => value is double number ? (int)number : 0;

    private static object? Get(this Dictionary<string, object?> json, string name) =>
        json.TryGetValue(name, out var value) ? value : null;
}
