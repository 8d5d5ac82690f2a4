using Killswitch.Chaos;
using Killswitch.Flags;
using Killswitch.Flags.Matrix;

namespace Killswitch.Xunit;

/// <summary>
/// Expands a chaos test method into its cases (variants x scenarios), or finds every reason it cannot run: a flag key
/// not in the manifest, a variant the flag does not have, fault options the chaos engine rejects. Framework-agnostic:
/// an adapter turns the cases into test cases and the problems into one failing case.
/// </summary>
public static class ChaosCaseExpander
{
    /// <summary>Expands <paramref name="method"/> against <paramref name="manifest"/> (null when the system has none).</summary>
    /// <param name="method">What the method's attributes ask for.</param>
    /// <param name="manifest">The flag manifest of the system, or null.</param>
    /// <param name="manifestName">How messages name the manifest (its file names).</param>
    public static ChaosExpansion Expand(ChaosMethodSpec method, FlagManifest? manifest, string manifestName)
    {
        ArgumentNullException.ThrowIfNull(method);
        var problems = new List<string>();
        var assignments = Variants(method, manifest, manifestName, problems);
        var scenarios = Scenarios(method, problems);
        if (problems.Count > 0)
        {
            return new ChaosExpansion([], problems);
        }

        var weaknesses = Weaknesses(method, problems);
        var cases = new List<ChaosCase>(assignments.Count * scenarios.Count);
        var matched = new HashSet<int>();
        foreach (var assignment in assignments)
        {
            foreach (var scenario in scenarios)
            {
                string? reason = null;
                for (var i = 0; i < weaknesses.Count; i++)
                {
                    if (weaknesses[i].Matches(assignment, scenario))
                    {
                        matched.Add(i);
                        reason ??= weaknesses[i].Reason;
                    }
                }

                cases.Add(new ChaosCase(method.TestClass, method.TestMethod, assignment, scenario, reason));
            }
        }

        for (var i = 0; i < weaknesses.Count; i++)
        {
            if (!matched.Contains(i))
            {
                problems.Add($"[KnownWeakness(\"{weaknesses[i].Variant.Name}\", \"{weaknesses[i].Scenario}\")] matches no case: its variant must be one the test runs, and its scenario a fault kind (PodKill, Latency ...) or a scenario name of the test ({string.Join(", ", scenarios.Select(s => s.Name))}).");
            }
        }

        return problems.Count > 0 ? new ChaosExpansion([], problems) : new ChaosExpansion(cases, []);
    }

    /// <summary>The message of the failing case that stands for a method that cannot run.</summary>
    public static string FormatProblems(string test, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return $"Chaos test {test} cannot run ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):" + Environment.NewLine +
            string.Join(Environment.NewLine, problems.Select(p => "  - " + p)) + Environment.NewLine +
            "See docs/xunit.md for every attribute and option.";
    }

    private static List<VariantAssignment?> Variants(ChaosMethodSpec method, FlagManifest? manifest, string manifestName, List<string> problems)
    {
        if (method.Flags.Count == 0)
        {
            return [null];
        }

        if (manifest is null)
        {
            problems.Add($"[FlagVariants(\"{method.Flags[0].Key}\")] needs the system's flag manifest, and it has none: return the manifest's path from ManifestPaths in your ChaosSystem.");
            return [];
        }

        var subsets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, variants) in method.Flags)
        {
            if (string.IsNullOrEmpty(key))
            {
                problems.Add("[FlagVariants] has an empty flag key: name a flag of the manifest.");
                continue;
            }

            if (!seen.Add(key))
            {
                problems.Add($"[FlagVariants(\"{key}\")] is given twice: list each flag once (put the variants to run in one attribute).");
                continue;
            }

            var flag = manifest.Find(key);
            if (flag is null)
            {
                var known = manifest.Flags.Count == 0 ? "it defines no flag" : "its flags are " + string.Join(", ", manifest.Flags.Select(f => f.Key));
                problems.Add($"[FlagVariants(\"{key}\")]: flag '{key}' is not in the manifest ({manifestName}); {known}. Fix the key, or add the flag to the manifest.");
                continue;
            }

            var unknown = variants.Where(v => flag.FindVariant(v) is null).ToArray();
            if (unknown.Length > 0)
            {
                problems.Add(
                    $"[FlagVariants(\"{key}\", {string.Join(", ", variants.Select(v => "\"" + v + "\""))})]: flag '{key}' has no variant {string.Join(", ", unknown.Select(v => "'" + v + "'"))}; " +
                    $"its variants are {string.Join(", ", flag.Variants.Select(v => v.Name))}. Fix the variant names, or list none to run every variant.");
                continue;
            }

            if (variants.Count > 0)
            {
                subsets[key] = variants;
            }
        }

        if (problems.Count > 0)
        {
            return [];
        }

        try
        {
            var matrix = VariantMatrix.Create(manifest, method.Flags.Select(f => f.Key), method.Matrix, subsets);
            return [.. matrix.Assignments];
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
            return [];
        }
    }

    private static List<Weakness> Weaknesses(ChaosMethodSpec method, List<string> problems)
    {
        var weaknesses = new List<Weakness>();
        foreach (var (variant, scenario, reason) in method.KnownWeaknesses ?? [])
        {
            VariantAssignment parsed;
            try
            {
                parsed = VariantAssignment.Parse(variant ?? string.Empty);
            }
            catch (FormatException e)
            {
                problems.Add($"[KnownWeakness(\"{variant}\", ...)]: {e.Message}");
                continue;
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                problems.Add($"[KnownWeakness(\"{variant}\", \"{scenario}\")] needs a Reason: say why the variant does not survive the fault yet, and where the fix is tracked.");
                continue;
            }

            weaknesses.Add(new Weakness(parsed, scenario ?? string.Empty, reason));
        }

        return weaknesses;
    }

    private sealed record Weakness(VariantAssignment Variant, string Scenario, string Reason)
    {
        public bool Matches(VariantAssignment? assignment, ChaosScenarioSpec scenario) =>
            assignment is not null
            && Variant.Variants.All(v => assignment.FindVariant(v.Key) == v.Value)
            && !scenario.IsBaseline
            && (string.Equals(scenario.Name, Scenario, StringComparison.Ordinal) || scenario.Faults.Any(f => string.Equals(f.Kind, Scenario, StringComparison.Ordinal)));
    }

    private static List<ChaosScenarioSpec> Scenarios(ChaosMethodSpec method, List<string> problems)
    {
        var scenarios = new List<ChaosScenarioSpec>();
        if (method.Baseline)
        {
            scenarios.Add(ChaosScenarioSpec.Baseline);
        }

        if (method.Faults.Count == 0)
        {
            if (!method.Baseline)
            {
                problems.Add("No scenario to run: the test has no fault attribute ([PodKill], [Latency], ...) and Baseline = false. Add a fault, or keep the baseline.");
            }

            return scenarios;
        }

        var groups = method.Combine ? [method.Faults] : method.Faults.Select(f => (IReadOnlyList<FaultSpec>)[f]).ToList();
        foreach (var group in groups)
        {
            var scenario = new ChaosScenarioSpec(group);
            if (Validate(scenario, problems))
            {
                scenarios.Add(scenario);
            }
        }

        foreach (var duplicate in scenarios.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Scenario '{duplicate.Key}' appears {duplicate.Count()} times, so its cases could not be told apart: set Name on the fault attributes.");
        }

        return scenarios;
    }

    /// <summary>Builds the scenario as the run will, so the chaos engine's own validation speaks at discovery.</summary>
    private static bool Validate(ChaosScenarioSpec scenario, List<string> problems)
    {
        var builder = new ChaosScenarioBuilder(scenario.Name).WithWorkload((_, _) => Task.CompletedTask);
        var before = problems.Count;
        foreach (var fault in scenario.Faults)
        {
            try
            {
                builder.AddFault(fault.ToOptions());
            }
            catch (ChaosValidationException e)
            {
                problems.AddRange(e.Errors.Select(error => $"Fault '{fault.DisplayName}': {error}"));
            }
        }

        if (problems.Count > before)
        {
            return false;
        }

        try
        {
            builder.Build();
            return true;
        }
        catch (ChaosValidationException e)
        {
            problems.AddRange(e.Errors);
            return false;
        }
    }
}

/// <summary>The cases of a method, or why it has none.</summary>
/// <param name="Cases">Variants x scenarios, variant-major, in a stable order.</param>
/// <param name="Problems">Every reason the method cannot run; empty when it can.</param>
public sealed record ChaosExpansion(IReadOnlyList<ChaosCase> Cases, IReadOnlyList<string> Problems);
