using System.Globalization;

namespace Killswitch.Chaos.Reporting;

/// <summary>
/// What the three report files show, computed once from the cases: per-case figures (from the run's timeline and fault
/// reports), one variant x scenario matrix per test method, and the findings, variant comparisons first.
/// </summary>
internal sealed class ReportModel
{
    private ReportModel(string title, DateTimeOffset generatedAt, IReadOnlyList<CaseReport> cases, IReadOnlyList<MatrixReport> matrices, IReadOnlyList<FindingReport> findings)
    {
        Title = title;
        GeneratedAt = generatedAt;
        Cases = cases;
        Matrices = matrices;
        Findings = findings;
    }

    public string Title { get; }

    public DateTimeOffset GeneratedAt { get; }

    public IReadOnlyList<CaseReport> Cases { get; }

    public IReadOnlyList<MatrixReport> Matrices { get; }

    public IReadOnlyList<FindingReport> Findings { get; }

    public int Count(CaseOutcome outcome) => Cases.Count(c => c.Case.Outcome == outcome);

    public static ReportModel Create(IReadOnlyList<ReportCase> cases, string title, DateTimeOffset generatedAt)
    {
        var reports = cases.Select(CaseReport.Create).ToArray();
        var matrices = new List<MatrixReport>();
        var findings = new List<FindingReport>();
        foreach (var test in reports.GroupBy(c => c.Case.Test, StringComparer.Ordinal))
        {
            var variants = test.Select(c => c.VariantLabel).Distinct(StringComparer.Ordinal).ToArray();
            var scenarios = test.Select(c => c.Case.Scenario).Distinct(StringComparer.Ordinal)
                .OrderBy(s => s == ReportConstants.BaselineScenario ? 0 : 1)
                .ToArray();
            var cells = new List<MatrixCell>();
            foreach (var variant in variants)
            {
                foreach (var scenario in scenarios)
                {
                    var inCell = test.Where(c => c.VariantLabel == variant && c.Case.Scenario == scenario).ToArray();
                    if (inCell.Length > 0)
                    {
                        cells.Add(new MatrixCell(variant, scenario, inCell.MaxBy(c => Severity(c.Case.Outcome))!));
                    }
                }
            }

            matrices.Add(new MatrixReport(test.Key, variants, scenarios, cells));
            findings.AddRange(Compare(test.Key, scenarios, cells));
        }

        findings.Sort((a, b) => a.Kind.CompareTo(b.Kind));
        return new ReportModel(title, generatedAt, reports, matrices, findings);
    }

    /// <summary>Which case of a cell stands for it when several share one: the worst.</summary>
    private static int Severity(CaseOutcome outcome) => outcome switch
    {
        CaseOutcome.Failed => 3,
        CaseOutcome.Inconclusive => 2,
        CaseOutcome.Passed => 1,
        _ => 0,
    };

    private static IEnumerable<FindingReport> Compare(string test, IReadOnlyList<string> scenarios, IReadOnlyList<MatrixCell> cells)
    {
        foreach (var scenario in scenarios)
        {
            var inScenario = cells.Where(c => c.Scenario == scenario).ToArray();
            var failing = inScenario.Where(c => c.Case.Case.Outcome == CaseOutcome.Failed).Select(c => c.Case).ToArray();
            var passing = inScenario.Where(c => c.Case.Case.Outcome == CaseOutcome.Passed).Select(c => c.Case).ToArray();
            if (failing.Length > 0 && scenario == ReportConstants.BaselineScenario)
            {
                yield return new FindingReport(
                    FindingKind.FailsWithoutFaults,
                    test,
                    scenario,
                    [.. failing.Select(c => c.VariantLabel)],
                    [.. passing.Select(c => c.VariantLabel)],
                    $"{Names(failing)} {(failing.Length == 1 ? "fails" : "fail")} even without faults (baseline).");
            }
            else if (failing.Length > 0 && passing.Length > 0)
            {
                yield return new FindingReport(
                    FindingKind.VariantComparison,
                    test,
                    scenario,
                    [.. failing.Select(c => c.VariantLabel)],
                    [.. passing.Select(c => c.VariantLabel)],
                    $"{Names(failing)} {(failing.Length == 1 ? "does" : "do")} not survive {scenario}; {Names(passing, failing)} {(passing.Length == 1 ? "does" : "do")}.");
            }
            else if (failing.Length > 0)
            {
                var who = failing.All(c => c.Case.Variant.Count == 0) ? "The system" : $"No variant ({Names(failing)})";
                yield return new FindingReport(FindingKind.NoVariantSurvives, test, scenario, [.. failing.Select(c => c.VariantLabel)], [], $"{who} survives {scenario}.");
            }

            foreach (var inconclusive in inScenario.Where(c => c.Case.Case.Outcome == CaseOutcome.Inconclusive))
            {
                var reason = inconclusive.Case.Case.Message is { Length: > 0 } m ? ": " + m : ".";
                yield return new FindingReport(FindingKind.Inconclusive, test, scenario, [inconclusive.Variant], [], $"{inconclusive.Variant} under {scenario} proves nothing (inconclusive){reason}");
            }
        }
    }

    /// <summary>
    /// "new-checkout=on"; the second list is shortened to its values ("off") when every variant named is one value of
    /// the same single flag, as people say it: "new-checkout=on does not survive PodKill; off does".
    /// </summary>
    private static string Names(IReadOnlyList<CaseReport> cases, IReadOnlyList<CaseReport>? others = null)
    {
        var labels = cases.Select(c => c.VariantLabel).ToArray();
        if (others is not null)
        {
            var all = cases.Concat(others).ToArray();
            var key = all[0].Case.Variant.Keys.FirstOrDefault();
            if (key is not null && all.All(c => c.Case.Variant.Count == 1 && c.Case.Variant.ContainsKey(key)))
            {
                labels = [.. cases.Select(c => c.Case.Variant[key])];
            }
        }

        return labels.Length switch
        {
            1 => labels[0],
            2 => $"{labels[0]} and {labels[1]}",
            _ => string.Join(", ", labels[..^1]) + " and " + labels[^1],
        };
    }
}

/// <summary>The kinds of finding, in the order the report lists them.</summary>
internal enum FindingKind
{
    /// <summary>Under one scenario, some variants pass and others fail: the flag decides resilience.</summary>
    VariantComparison,

    /// <summary>A variant fails with no fault at all: a functional regression, not a resilience one.</summary>
    FailsWithoutFaults,

    /// <summary>Every variant that ran fails under the scenario.</summary>
    NoVariantSurvives,

    /// <summary>A case proves nothing (fault without effect, unsteady system).</summary>
    Inconclusive,
}

/// <summary>One finding of the report.</summary>
internal sealed record FindingReport(FindingKind Kind, string Test, string Scenario, IReadOnlyList<string> Failing, IReadOnlyList<string> Passing, string Message);

/// <summary>The matrix of one test method: its variants (rows) by its scenarios (columns, baseline first).</summary>
internal sealed record MatrixReport(string Test, IReadOnlyList<string> Variants, IReadOnlyList<string> Scenarios, IReadOnlyList<MatrixCell> Cells)
{
    public MatrixCell? Find(string variant, string scenario) => Cells.FirstOrDefault(c => c.Variant == variant && c.Scenario == scenario);
}

/// <summary>One cell of a matrix and the case that decides its colour.</summary>
internal sealed record MatrixCell(string Variant, string Scenario, CaseReport Case);

/// <summary>A case with the figures computed from its run.</summary>
internal sealed record CaseReport(ReportCase Case, string VariantLabel, string Anchor, RunFigures? Figures)
{
    /// <summary>The label of a case without flags.</summary>
    public const string NoFlags = "(no flags)";

    public static CaseReport Create(ReportCase c, int index)
    {
        ArgumentNullException.ThrowIfNull(c, $"cases[{index}]");
        var label = c.Variant.Count == 0 ? NoFlags : string.Join(",", c.Variant.Select(v => $"{v.Key}={v.Value}"));
        var anchor = string.Create(CultureInfo.InvariantCulture, $"case-{index + 1}");
        return new CaseReport(c, label, anchor, c.Run is null ? null : RunFigures.Create(c.Run));
    }
}
