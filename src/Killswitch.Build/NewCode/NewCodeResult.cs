using System;
using System.Collections.Generic;

namespace Killswitch.Build.NewCode;

/// <summary>What the git step found: the changed files, or the problem that kept it from knowing.</summary>
internal sealed class NewCodeResult
{
    private NewCodeResult(NewCodeProblem? problem, string? baseRef, string? mergeBase, string? repositoryRoot, IReadOnlyList<ChangedFile> files)
    {
        Problem = problem;
        BaseRef = baseRef;
        MergeBase = mergeBase;
        RepositoryRoot = repositoryRoot;
        Files = files;
    }

    public NewCodeProblem? Problem { get; }

    public string? BaseRef { get; }

    public string? MergeBase { get; }

    /// <summary>The working tree's root, spelled as MSBuild spells the project directory.</summary>
    public string? RepositoryRoot { get; }

    public IReadOnlyList<ChangedFile> Files { get; }

    public static NewCodeResult Failed(NewCodeProblem problem, string? baseRef = null, string? repositoryRoot = null) =>
        new(problem, baseRef, null, repositoryRoot, Array.Empty<ChangedFile>());

    public static NewCodeResult Succeeded(string baseRef, string mergeBase, string repositoryRoot, IReadOnlyList<ChangedFile> files) =>
        new(null, baseRef, mergeBase, repositoryRoot, files);
}
