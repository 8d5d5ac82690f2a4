namespace Killswitch.Analyzers.Benchmarks.Generation;

/// <summary>The three states of the generated repository, each a superset of the one before.</summary>
internal enum Stage
{
    /// <summary>Committed on <c>main</c>.</summary>
    Base = 0,

    /// <summary>Committed on the feature branch.</summary>
    Feature = 1,

    /// <summary>On top of the feature branch, not committed: modified tracked files and untracked files.</summary>
    WorkingTree = 2,
}
