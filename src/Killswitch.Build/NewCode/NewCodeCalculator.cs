using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Killswitch.Build.Diagnostics;
using Killswitch.Build.Git;
using Killswitch.Build.IO;

namespace Killswitch.Build.NewCode;

/// <summary>
/// The git step: which lines of the compilation's source files are new relative to the merge-base of HEAD and the
/// base ref, working tree included (staged, unstaged and untracked changes all count). Six git processes, four
/// deep: rev-parse, for-each-ref (or rev-parse --verify) and ls-files start together; then merge-base, diff-index,
/// and one <c>cat-file --batch</c> for every base text at once. Only read-only plumbing: unlike <c>git diff</c>,
/// <c>git diff-index</c> never rewrites the index, so a build never holds <c>index.lock</c> while the developer
/// commits.
/// </summary>
internal sealed class NewCodeCalculator
{
    private static readonly string[] ConfigOverrides =
    {
        // Settings a developer may have that would change what git prints; unknown keys are ignored by old gits.
        "-c", "core.quotePath=off",
        "-c", "diff.relative=false",
        "-c", "diff.noprefix=false",
        "-c", "diff.mnemonicPrefix=false",
        "-c", "color.ui=never",
    };

    private static readonly string[] RepositoryQuery = { "rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix", "--is-shallow-repository" };
    private static readonly string[] CatFileBatch = { "cat-file", "--batch" };
    private static readonly char[] Newline = { '\n' };
    private static readonly char[] Nul = { '\0' };

    private readonly GitRunner _git;

    public NewCodeCalculator(GitRunner git) => _git = git;

    /// <param name="projectDirectory">The project directory as MSBuild spells it.</param>
    /// <param name="compileFiles">Full paths of the <c>@(Compile)</c> items; only these are reported.</param>
    /// <param name="candidates">Base refs to try, in order (see <see cref="BaseRefCandidates"/>).</param>
    /// <param name="explicitBaseRef">True when the candidate is the user's <c>KillswitchBaseRef</c>.</param>
    /// <param name="cancellationToken">Stops the git processes.</param>
    public async Task<NewCodeResult> CalculateAsync(
        string projectDirectory,
        IReadOnlyList<string> compileFiles,
        IReadOnlyList<string> candidates,
        bool explicitBaseRef,
        CancellationToken cancellationToken = default)
    {
        // The base ref is looked up and untracked files listed while the repository is inspected; their answers are
        // only used if there is a repository.
        var compile = IndexCompileFiles(compileFiles);
        var pathspecs = Pathspecs(projectDirectory, compile.Values);
        var untrackedArguments = new List<string>(ConfigOverrides) { "ls-files", "--others", "--exclude-standard", "--full-name", "-z", "--" };
        untrackedArguments.AddRange(pathspecs);
        var repositoryTask = RunAsync(RepositoryQuery, cancellationToken);
        var baseTask = ResolveBaseAsync(candidates, explicitBaseRef, cancellationToken);
        var untrackedTask = RunAsync(untrackedArguments, cancellationToken);
        GitResult repository;
        try
        {
            repository = await repositoryTask.ConfigureAwait(false);
        }
        catch (GitException)
        {
            await IgnoreFailureAsync(baseTask).ConfigureAwait(false);
            await IgnoreFailureAsync(untrackedTask).ConfigureAwait(false);
            throw;
        }

        if (!repository.Succeeded)
        {
            await IgnoreFailureAsync(baseTask).ConfigureAwait(false);
            await IgnoreFailureAsync(untrackedTask).ConfigureAwait(false);
            return NewCodeResult.Failed(RepositoryProblem(repository, projectDirectory));
        }

        var lines = repository.StandardOutput.Replace("\r", string.Empty).Split('\n');
        if (lines.Length < 4 || lines[0] != "true")
        {
            await IgnoreFailureAsync(baseTask).ConfigureAwait(false);
            await IgnoreFailureAsync(untrackedTask).ConfigureAwait(false);
            return NewCodeResult.Failed(NotARepository(projectDirectory));
        }

        var isShallow = lines[3] == "true";
        var repositoryRoot = RepositoryRoot(projectDirectory, lines[1], lines[2]);

        var (baseRef, baseCommit, failure) = await baseTask.ConfigureAwait(false);
        if (baseCommit is null)
        {
            await IgnoreFailureAsync(untrackedTask).ConfigureAwait(false);
            return NewCodeResult.Failed(failure ?? BaseRefNotFound(candidates, explicitBaseRef, isShallow), repositoryRoot: repositoryRoot);
        }

        var mergeBase = await RunAsync(new[] { "merge-base", "HEAD", baseCommit! }, cancellationToken).ConfigureAwait(false);
        if (!mergeBase.Succeeded)
        {
            await IgnoreFailureAsync(untrackedTask).ConfigureAwait(false);
            return NewCodeResult.Failed(MergeBaseProblem(mergeBase, baseRef!, isShallow), baseRef, repositoryRoot);
        }

        var mergeBaseCommit = mergeBase.StandardOutput.Trim();
        var diffArguments = new List<string>(ConfigOverrides)
        {
            "diff-index", "--patch", "--unified=0", "--inter-hunk-context=0", "--no-color", "--no-ext-diff", "--no-textconv",
            "--find-renames", "--diff-algorithm=myers", "--src-prefix=a/", "--dst-prefix=b/", mergeBaseCommit, "--",
        };
        diffArguments.AddRange(pathspecs);
        var diffTask = RunAsync(diffArguments, cancellationToken);
        GitResult diff;
        try
        {
            diff = await diffTask.ConfigureAwait(false);
        }
        catch (GitException)
        {
            await IgnoreFailureAsync(untrackedTask).ConfigureAwait(false);
            throw;
        }

        var untracked = await untrackedTask.ConfigureAwait(false);
        if (!diff.Succeeded)
        {
            return NewCodeResult.Failed(GitFailed(diff, "diff-index"), baseRef, repositoryRoot);
        }

        if (!untracked.Succeeded)
        {
            return NewCodeResult.Failed(GitFailed(untracked, "ls-files"), baseRef, repositoryRoot);
        }

        var files = new List<ChangedFile>();
        foreach (var entry in UnifiedDiffParser.Parse(diff.StandardOutput))
        {
            // Without hunks nothing was added: a mode change, or a file whose stat information in the index is stale
            // (diff-index does not refresh it) but whose content is unchanged.
            if (entry.NewPath is null || entry.IsDeleted || entry.IsBinary || (!entry.HasHunks && !entry.IsNew && !entry.IsRenamed)
                || !compile.TryGetValue(PathUtilities.Normalize(repositoryRoot + entry.NewPath), out var fullPath))
            {
                continue;
            }

            var file = new ChangedFile(fullPath, entry.IsNew ? ChangedFileStatus.Added : ChangedFileStatus.Modified)
            {
                BasePath = entry.IsNew ? null : entry.OldPath,
                IsRenamed = entry.IsRenamed,
            };
            file.AddedLines.AddRange(entry.AddedLines);
            file.RemovedLines.AddRange(entry.RemovedLines);
            files.Add(file);
        }

        foreach (var path in untracked.StandardOutput.Split(Nul, StringSplitOptions.RemoveEmptyEntries))
        {
            if (compile.TryGetValue(PathUtilities.Normalize(repositoryRoot + path), out var fullPath))
            {
                files.Add(new ChangedFile(fullPath, ChangedFileStatus.Untracked));
            }
        }

        await ReadBaseTextsAsync(mergeBaseCommit, files, cancellationToken).ConfigureAwait(false);
        files.Sort((left, right) => string.CompareOrdinal(left.FullPath, right.FullPath));
        return NewCodeResult.Succeeded(baseRef!, mergeBaseCommit, repositoryRoot, files);
    }

    /// <summary>The first candidate that exists and its commit; (null, null, null) when none does.</summary>
    private async Task<(string? BaseRef, string? Commit, NewCodeProblem? Failure)> ResolveBaseAsync(
        IReadOnlyList<string> candidates, bool explicitBaseRef, CancellationToken cancellationToken)
    {
        if (explicitBaseRef)
        {
            var name = candidates[0];
            if (name.StartsWith("-", StringComparison.Ordinal))
            {
                return (null, null, null);
            }

            var verify = await RunAsync(new[] { "rev-parse", "--verify", "--quiet", name + "^{commit}" }, cancellationToken).ConfigureAwait(false);
            return verify.Succeeded ? (name, verify.StandardOutput.Trim(), null) : (null, null, null);
        }

        var arguments = new List<string> { "for-each-ref", "--format=%(refname) %(objectname)" };
        arguments.AddRange(candidates.Select(BaseRefCandidates.ToFullRefName));
        var refs = await RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (!refs.Succeeded)
        {
            return (null, null, GitFailed(refs, "for-each-ref"));
        }

        var existing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in refs.StandardOutput.Split(Newline, StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.LastIndexOf(' ');
            if (space > 0)
            {
                existing[line.Substring(0, space)] = line.Substring(space + 1).Trim();
            }
        }

        foreach (var candidate in candidates)
        {
            if (existing.TryGetValue(BaseRefCandidates.ToFullRefName(candidate), out var commit))
            {
                return (candidate, commit, null);
            }
        }

        return (null, null, null);
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (GitException)
        {
            // The repository check failed first and says why.
        }
    }

    private async Task ReadBaseTextsAsync(string mergeBase, List<ChangedFile> files, CancellationToken cancellationToken)
    {
        var wanted = files.Where(f => f.Status == ChangedFileStatus.Modified && f.BasePath is not null && f.BasePath.IndexOf('\n') < 0).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var input = new StringBuilder();
        foreach (var file in wanted)
        {
            input.Append(mergeBase).Append(':').Append(file.BasePath).Append('\n');
        }

        var batch = await RunAsync(CatFileBatch, cancellationToken, Encoding.UTF8.GetBytes(input.ToString())).ConfigureAwait(false);
        if (!batch.Succeeded)
        {
            return;
        }

        // Each answer is "<oid> <type> <size>\n<content>\n", or "<request> missing\n".
        var output = batch.StandardOutputBytes;
        var position = 0;
        foreach (var file in wanted)
        {
            var newline = Array.IndexOf(output, (byte)'\n', position);
            if (newline < 0)
            {
                return;
            }

            var header = Encoding.UTF8.GetString(output, position, newline - position).Split(' ');
            position = newline + 1;
            if (header.Length != 3 || !int.TryParse(header[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                continue;
            }

            var content = new byte[size];
            Buffer.BlockCopy(output, position, content, 0, size);
            position += size + 1;
            if (header[1] == "blob")
            {
                file.BaseText = content;
            }
        }
    }

    private Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, byte[]? input = null) =>
        _git.RunAsync(arguments, input, cancellationToken);

    private static Dictionary<string, string> IndexCompileFiles(IReadOnlyList<string> compileFiles)
    {
        var index = new Dictionary<string, string>(PathUtilities.Comparer);
        foreach (var file in compileFiles)
        {
            var key = PathUtilities.Normalize(file);
            if (!index.ContainsKey(key))
            {
                index.Add(key, file);
            }
        }

        return index;
    }

    /// <summary>
    /// The project directory, plus the folders of linked source files outside it, relative to the project
    /// directory (git resolves them the way the shell would).
    /// </summary>
    private static List<string> Pathspecs(string projectDirectory, IEnumerable<string> compileFiles)
    {
        var project = PathUtilities.NormalizeDirectory(projectDirectory);
        var outside = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in compileFiles)
        {
            var normalized = PathUtilities.Normalize(file);
            if (!PathUtilities.IsUnder(normalized, project))
            {
                var directory = normalized.Substring(0, normalized.LastIndexOf('/') + 1);
                outside.Add(PathUtilities.GetRelativePath(project, directory));
            }
        }

        var pathspecs = new List<string> { "." };
        if (outside.Count > 32)
        {
            // Many linked folders: cheaper to let git walk the whole tree once.
            pathspecs[0] = ":/";
            return pathspecs;
        }

        pathspecs.AddRange(outside);
        return pathspecs;
    }

    /// <summary>
    /// The working-tree root spelled as MSBuild spells the project directory (git resolves symbolic links, the
    /// compiler does not): the project directory less git's prefix, or git's toplevel when they do not line up.
    /// </summary>
    private static string RepositoryRoot(string projectDirectory, string topLevel, string prefix)
    {
        var project = PathUtilities.NormalizeDirectory(projectDirectory);
        if (project.EndsWith("/" + prefix, PathUtilities.Comparison))
        {
            return project.Substring(0, project.Length - prefix.Length);
        }

        return PathUtilities.NormalizeDirectory(topLevel);
    }

    private static NewCodeProblem RepositoryProblem(GitResult result, string projectDirectory)
    {
        var error = result.StandardError;
        if (error.IndexOf("not a git repository", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return NotARepository(projectDirectory);
        }

        if (error.IndexOf("dubious ownership", StringComparison.OrdinalIgnoreCase) >= 0 || error.IndexOf("safe.directory", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return new NewCodeProblem(
                BuildMessageCodes.UnsafeRepository,
                $"Git refuses to read the repository of '{projectDirectory}' because another user owns it ({result.FirstErrorLine}). Mark it safe with 'git config --global --add safe.directory <repository path>' (in a container, the checkout step usually does this).");
        }

        return GitFailed(result, "rev-parse");
    }

    private static NewCodeProblem NotARepository(string projectDirectory) => new(
        BuildMessageCodes.NotARepository,
        $"'{projectDirectory}' is not inside a git working tree, so Killswitch cannot tell new code from old. Build from a git clone, or set KillswitchNewCodeScope to All (treat all code as new) or None.");

    private static NewCodeProblem BaseRefNotFound(IReadOnlyList<string> candidates, bool explicitBaseRef, bool isShallow)
    {
        var tried = string.Join(", ", candidates);
        var text = explicitBaseRef
            ? $"The base ref '{tried}' (KillswitchBaseRef) does not exist in this clone. Check the name, or fetch it (e.g. 'git fetch origin main')."
            : $"None of the base refs tried exists ({tried}). Set KillswitchBaseRef to the branch your pull request targets (e.g. -p:KillswitchBaseRef=origin/develop), or fetch it (e.g. 'git fetch origin main').";
        if (isShallow)
        {
            text += " This is a shallow clone: fetch the full history (actions/checkout: 'fetch-depth: 0'; Azure Pipelines checkout: 'fetchDepth: 0'; locally: 'git fetch --unshallow').";
        }

        return new NewCodeProblem(BuildMessageCodes.BaseRefNotFound, text);
    }

    private static NewCodeProblem MergeBaseProblem(GitResult result, string baseRef, bool isShallow)
    {
        if (result.ExitCode == 1 && isShallow)
        {
            return new NewCodeProblem(
                BuildMessageCodes.ShallowWithoutMergeBase,
                $"This is a shallow clone and it does not reach the commit where HEAD left '{baseRef}' (the merge-base). Fetch the full history: actions/checkout 'fetch-depth: 0', Azure Pipelines checkout 'fetchDepth: 0', or locally 'git fetch --unshallow'.");
        }

        if (result.ExitCode == 1)
        {
            return new NewCodeProblem(
                BuildMessageCodes.NoMergeBase,
                $"HEAD and '{baseRef}' have no common history (no merge-base). Set KillswitchBaseRef to the branch this one was created from.");
        }

        return GitFailed(result, "merge-base");
    }

    private static NewCodeProblem GitFailed(GitResult result, string command) => new(
        BuildMessageCodes.GitFailed,
        $"The command 'git {command}' failed with exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}: {result.FirstErrorLine}. Run it in the project directory to see why.");
}
