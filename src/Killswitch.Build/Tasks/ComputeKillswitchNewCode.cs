using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Killswitch.Build.Diagnostics;
using Killswitch.Build.Git;
using Killswitch.Build.IO;
using Killswitch.Build.NewCode;
using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace Killswitch.Build.Tasks;

/// <summary>
/// Asks git which lines of the project's source files are new relative to the merge-base of HEAD and the base
/// ref (working tree included) and writes the hand-over file the analyzers read, plus the base version of each
/// modified file. Runs before every compilation, design-time builds included; skips git when nothing it depends on
/// changed. When git cannot tell, logs one KSB message and writes the fallback scope.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "MSBuild never disposes tasks; a CancellationTokenSource without a timer holds nothing to release.")]
public sealed class ComputeKillswitchNewCode : MSBuildTask, ICancelableTask
{
    private static readonly char[] Newline = { '\n' };
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The project directory (<c>$(MSBuildProjectDirectory)</c>); git runs there.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The project file, named in messages.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>The compilation's source files (<c>@(Compile)</c>); only these are reported.</summary>
    public ITaskItem[] Compile { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Folders whose source files are never new (obj/, bin/: generated code).</summary>
    public string[] ExcludedDirectories { get; set; } = Array.Empty<string>();

    /// <summary><c>KillswitchBaseRef</c>; empty to detect it.</summary>
    public string? BaseRef { get; set; }

    /// <summary><c>KillswitchNewCodeScope</c>: Changed, All or None.</summary>
    public string? Scope { get; set; }

    /// <summary><c>KillswitchNewCodeFallback</c>: None, All or Error.</summary>
    public string? Fallback { get; set; }

    /// <summary><c>KillswitchGitPath</c>.</summary>
    public string? GitPath { get; set; }

    /// <summary><c>KillswitchGitTimeout</c>, in seconds, for each git command.</summary>
    public string? GitTimeout { get; set; }

    /// <summary>True in IDE design-time builds: problems are warnings there, whatever the fallback.</summary>
    public bool DesignTimeBuild { get; set; }

    /// <summary>False to run git on every build (<c>KillswitchIncremental</c>).</summary>
    public bool Incremental { get; set; } = true;

    /// <summary>Where to write the hand-over file (<c>*.killswitch-newcode</c>).</summary>
    [Required]
    public string OutputFile { get; set; } = string.Empty;

    /// <summary>Where to write the base versions of modified files.</summary>
    [Required]
    public string BaseTextDirectory { get; set; } = string.Empty;

    /// <summary>The hand-over file, with <c>KillswitchKind=NewCode</c>.</summary>
    [Output]
    public ITaskItem? NewCodeFile { get; private set; }

    /// <summary>The base texts, with <c>KillswitchKind=BaseText</c>.</summary>
    [Output]
    public ITaskItem[] BaseTextFiles { get; private set; } = Array.Empty<ITaskItem>();

    /// <summary>The KSB code of the problem that kept git from answering, if any.</summary>
    [Output]
    public string? ProblemCode { get; private set; }

    /// <summary>Reads environment variables (replaced in tests).</summary>
    internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>How many git processes the last run started (0 when it was up to date).</summary>
    internal int GitInvocationCount { get; private set; }

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public override bool Execute()
    {
        var scope = NewCodeScope.Changed;
        if (!string.IsNullOrWhiteSpace(Scope) && !NewCodeOptions.TryParseScope(Scope, out scope))
        {
            LogInvalidProperty("KillswitchNewCodeScope", Scope, "Changed, All or None", "Changed");
            scope = NewCodeScope.Changed;
        }

        var fallback = NewCodeFallback.None;
        if (!string.IsNullOrWhiteSpace(Fallback) && !NewCodeOptions.TryParseFallback(Fallback, out fallback))
        {
            LogInvalidProperty("KillswitchNewCodeFallback", Fallback, "None, All or Error", "None");
            fallback = NewCodeFallback.None;
        }

        var timeout = TimeSpan.FromSeconds(60);
        if (!string.IsNullOrWhiteSpace(GitTimeout))
        {
            if (int.TryParse(GitTimeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                timeout = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                LogInvalidProperty("KillswitchGitTimeout", GitTimeout, "a whole number of seconds above 0", "60");
            }
        }

        if (DesignTimeBuild && fallback == NewCodeFallback.Error)
        {
            // A failing design-time build breaks IntelliSense; the command-line build still fails.
            fallback = NewCodeFallback.None;
        }

        var outputFile = Path.GetFullPath(OutputFile);
        NewCodeFile = Item(outputFile, "NewCode");
        if (scope != NewCodeScope.Changed)
        {
            FileUtilities.WriteIfChanged(outputFile, NewCodeDocument.Write(scope, result: null));
            DeleteStaleBaseTexts(new HashSet<string>(PathUtilities.Comparer));
            Log.LogMessage(MessageImportance.Normal, "Killswitch: KillswitchNewCodeScope={0}, git not consulted.", scope);
            return !Log.HasLoggedErrors;
        }

        var compileFiles = SourceFiles();
        var candidates = BaseRefCandidates.Get(BaseRef, Environment, out var candidateSource);
        var explicitBaseRef = !string.IsNullOrWhiteSpace(BaseRef);
        var gitPath = string.IsNullOrWhiteSpace(GitPath) ? "git" : GitPath!;
        var stampFile = outputFile + ".fingerprint";

        string? fingerprint = null;
        if (Incremental)
        {
            var parameters = string.Join("|", new[] { "v1", gitPath, outputFile, BaseTextDirectory, string.Join(",", candidates) });
            fingerprint = GitStateFingerprint.Compute(ProjectDirectory, compileFiles, candidates, parameters, Environment, out var newestInput);
            if (fingerprint is not null && TryReuse(stampFile, fingerprint, newestInput, outputFile))
            {
                return !Log.HasLoggedErrors;
            }
        }

                var git = new GitRunner(gitPath, ProjectDirectory, timeout);
        NewCodeResult result;
        try
        {
            result = new NewCodeCalculator(git)
                .CalculateAsync(ProjectDirectory, compileFiles, candidates, explicitBaseRef, _cancellation.Token)
                .GetAwaiter().GetResult();
        }
        catch (GitNotFoundException exception)
        {
            result = NewCodeResult.Failed(new NewCodeProblem(
                BuildMessageCodes.GitNotFound,
                $"Git could not be started ('{exception.GitPath}': {exception.InnerException?.Message}). Install git and put it on PATH, or set KillswitchGitPath to the git executable."));
        }
        catch (GitTimeoutException exception)
        {
            result = NewCodeResult.Failed(new NewCodeProblem(
                BuildMessageCodes.GitFailed,
                $"{exception.Message}. Raise KillswitchGitTimeout (seconds) if the repository is very large."));
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        GitInvocationCount = git.InvocationCount;
        if (result.Problem is not null)
        {
            DeleteFile(stampFile);
            return ReportProblem(result, fallback, outputFile);
        }

        var baseTexts = WriteBaseTexts(result.Files);
        FileUtilities.WriteIfChanged(outputFile, NewCodeDocument.Write(NewCodeScope.Changed, result));
        BaseTextFiles = baseTexts.Select(path => Item(path, "BaseText")).ToArray();
        if (fingerprint is not null)
        {
            // Always rewritten: its time stamp is when the fingerprint was taken (see GitStateFingerprint.RacyWindow).
            File.WriteAllText(stampFile, fingerprint + "\n" + string.Join("\n", baseTexts));
        }

        Log.LogMessage(
            MessageImportance.Normal,
            "Killswitch: {0} changed source file(s) relative to {1} (merge-base {2}{3}), working tree included; {4} git call(s).",
            result.Files.Count,
            result.BaseRef,
            Short(result.MergeBase),
            candidateSource is null || candidateSource == "KillswitchBaseRef" ? string.Empty : ", target branch from " + candidateSource,
            GitInvocationCount);
        return !Log.HasLoggedErrors;
    }

    private bool TryReuse(string stampFile, string fingerprint, DateTime newestInput, string outputFile)
    {
        if (!File.Exists(stampFile) || !File.Exists(outputFile))
        {
            return false;
        }

        var stampTime = File.GetLastWriteTimeUtc(stampFile);
        if (newestInput > stampTime - GitStateFingerprint.RacyWindow)
        {
            return false;
        }

        var lines = File.ReadAllText(stampFile).Split(Newline, StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != fingerprint || lines.Skip(1).Any(path => !File.Exists(path)))
        {
            return false;
        }

        BaseTextFiles = lines.Skip(1).Select(path => Item(path, "BaseText")).ToArray();
        Log.LogMessage(MessageImportance.Low, "Killswitch: git state unchanged since the last build; reusing '{0}'.", outputFile);
        return true;
    }

    private bool ReportProblem(NewCodeResult result, NewCodeFallback fallback, string outputFile)
    {
        var problem = result.Problem!;
        ProblemCode = problem.Code;
        var scope = fallback == NewCodeFallback.All ? NewCodeScope.All : NewCodeScope.None;
        FileUtilities.WriteIfChanged(outputFile, NewCodeDocument.Write(scope, result));
        DeleteStaleBaseTexts(new HashSet<string>(PathUtilities.Comparer));

        var consequence = fallback switch
        {
            NewCodeFallback.All => "Fallback: all code counts as new, so KS1001 checks every code path (KillswitchNewCodeFallback=All).",
            NewCodeFallback.Error => "The gate fails rather than pass without looking (KillswitchGate=true); to let it pass anyway, set KillswitchNewCodeFallback to None or All.",
            _ => "Fallback: nothing counts as new, so KS1001 reports nothing in this build (KillswitchNewCodeFallback=None).",
        };
        var message = $"Killswitch could not tell which code is new. {problem.Description} {consequence} See {problem.HelpLink}";

        if (!FirstReportInThisBuild(problem.Code))
        {
            Log.LogMessage(MessageImportance.Low, "{0}: {1}", problem.Code, message);
            return fallback != NewCodeFallback.Error;
        }

        if (fallback == NewCodeFallback.Error)
        {
            Log.LogError(null, problem.Code, null, problem.HelpLink, ProjectFile, 0, 0, 0, 0, "{0}", message);
            return false;
        }

        Log.LogWarning(null, problem.Code, null, problem.HelpLink, ProjectFile, 0, 0, 0, 0, "{0}", message);
        return true;
    }

    /// <summary>
    /// One message per project per build: a multi-targeted project runs this task once per target framework, and
    /// the inner builds that share a build node see each other's registration.
    /// </summary>
    private bool FirstReportInThisBuild(string code)
    {
        if (BuildEngine is not IBuildEngine4 engine)
        {
            return true;
        }

        var key = "Killswitch.Build:" + (ProjectFile ?? ProjectDirectory) + ":" + code;
        if (engine.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is not null)
        {
            return false;
        }

        engine.RegisterTaskObject(key, code, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
        return true;
    }

    private List<string> SourceFiles()
    {
        var excluded = ExcludedDirectories
            .Where(d => !string.IsNullOrWhiteSpace(d))
            .Select(d => PathUtilities.NormalizeDirectory(Path.IsPathRooted(d) ? d : Path.Combine(ProjectDirectory, d)))
            .ToList();
        var files = new List<string>(Compile.Length);
        foreach (var item in Compile)
        {
            var fullPath = item.GetMetadata("FullPath");
            if (string.IsNullOrEmpty(fullPath))
            {
                continue;
            }

            var normalized = PathUtilities.Normalize(fullPath);
            if (!excluded.Any(directory => PathUtilities.IsUnder(normalized, directory)))
            {
                files.Add(fullPath);
            }
        }

        return files;
    }

    private List<string> WriteBaseTexts(IReadOnlyList<ChangedFile> files)
    {
        var written = new List<string>();
        var directory = Path.GetFullPath(BaseTextDirectory);
        foreach (var file in files)
        {
            if (file.BaseText is null)
            {
                continue;
            }

            // A stable name per source path keeps the file's time stamp, and so CoreCompile, unchanged between builds.
            var path = Path.Combine(directory, ShortHash(PathUtilities.Normalize(file.FullPath)) + "-" + Path.GetFileName(file.FullPath) + NewCodeDocument.BaseTextSuffix);
            FileUtilities.WriteIfChanged(path, file.BaseText);
            file.BaseTextPath = path;
            written.Add(path);
        }

        DeleteStaleBaseTexts(new HashSet<string>(written, PathUtilities.Comparer));
        return written;
    }

    private void DeleteStaleBaseTexts(HashSet<string> keep)
    {
        var directory = Path.GetFullPath(BaseTextDirectory);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var path in Directory.GetFiles(directory, "*" + NewCodeDocument.BaseTextSuffix))
        {
            if (!keep.Contains(path))
            {
                DeleteFile(path);
            }
        }
    }

    private void LogInvalidProperty(string name, string? value, string expected, string used)
    {
        var code = BuildMessageCodes.InvalidProperty;
        Log.LogWarning(
            null, code, null, BuildMessageCodes.HelpLink(code), ProjectFile, 0, 0, 0, 0,
            "{0} is '{1}', which is not one of the allowed values ({2}); using {3}. Fix the property in the project or Directory.Build.props. See {4}",
            name, value, expected, used, BuildMessageCodes.HelpLink(code));
    }

    private static Microsoft.Build.Utilities.TaskItem Item(string path, string kind)
    {
        var item = new Microsoft.Build.Utilities.TaskItem(path);
        item.SetMetadata("KillswitchKind", kind);
        return item;
    }

    private static string ShortHash(string text)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        return BitConverter.ToString(hash, 0, 4).Replace("-", string.Empty).ToLowerInvariant();
    }

    private static string Short(string? commit) => commit is null || commit.Length <= 10 ? commit ?? string.Empty : commit.Substring(0, 10);

    private static void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale file only costs a git run or an unused additional file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
