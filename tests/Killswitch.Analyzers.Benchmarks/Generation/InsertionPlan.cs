namespace Killswitch.Analyzers.Benchmarks.Generation;

/// <summary>
/// Decides which insertion points of one file carry new code, and from which stage on. A file is rendered once
/// to count its points (nothing is inserted), then the plan picks points, then each stage renders again. The
/// base code never consumes the insertions' random numbers, so every stage has the base text unchanged and
/// git sees additions (plus the few deliberate line changes made through <see cref="Variant"/>).
/// </summary>
internal sealed class InsertionPlan
{
    private readonly Dictionary<int, Stage> _active;
    private readonly int _seed;
    private readonly string _key;
    private int _next;

    private InsertionPlan(int seed, string key, Stage stage, Dictionary<int, Stage> active)
    {
        _seed = seed;
        _key = key;
        Stage = stage;
        _active = active;
    }

    public Stage Stage { get; }

    /// <summary>How many insertion points the file rendering asked about.</summary>
    public int PointCount => _next;

    /// <summary>Insertions made at the current stage.</summary>
    public int Inserted { get; private set; }

    public static InsertionPlan Counting(int seed, string key) => new(seed, key, Stage.Base, []);

    public static InsertionPlan For(int seed, string key, Stage stage, IReadOnlyDictionary<int, Stage> active) =>
        new(seed, key, stage, new Dictionary<int, Stage>(active));

    /// <summary>Chooses points for a file that the diff touches: <paramref name="featureCount"/> committed on the
    /// feature branch, <paramref name="workingTreeCount"/> more left uncommitted.</summary>
    public static Dictionary<int, Stage> Choose(Random random, int pointCount, int featureCount, int workingTreeCount)
    {
        var order = Enumerable.Range(0, pointCount).OrderBy(_ => random.Next()).ToList();
        var chosen = new Dictionary<int, Stage>();
        for (var i = 0; i < order.Count && i < featureCount + workingTreeCount; i++)
        {
            chosen[order[i]] = i < featureCount ? Stage.Feature : Stage.WorkingTree;
        }

        return chosen;
    }

    /// <summary>An insertion point: true (with the random source for the inserted code) when new code goes here.</summary>
    public bool TryInsert(out Random random)
    {
        var point = _next++;
        if (_active.TryGetValue(point, out var from) && from <= Stage)
        {
            random = StableRandom.Create(_seed, _key, 7919 + point);
            Inserted++;
            return true;
        }

        random = null!;
        return false;
    }

    /// <summary>A line that the diff changes: the base text, or the changed text once the point is active.</summary>
    public string Variant(string baseText, string changedText) =>
        TryInsert(out _) ? changedText : baseText;
}
