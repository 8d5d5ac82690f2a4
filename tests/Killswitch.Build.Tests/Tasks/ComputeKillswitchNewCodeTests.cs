using System;
using System.IO;
using System.Linq;
using Killswitch.Build.Tests.Infrastructure;
using AnalyzerScope = Killswitch.Analyzers.NewCode.NewCodeScope;

namespace Killswitch.Build.Tests.Tasks;

public class ComputeKillswitchNewCodeTests
{
    [Fact]
    public void Execute_BranchAndWorkingTreeChanges_ListsEachSourceFileWithItsNewLines()
    {
        using var scenario = new NewCodeScenario();
        var repository = scenario.Repository;
        repository.Write("src/App/Program.cs", NewCodeScenario.ProgramBase.Replace("class Program", "// new 1\n// new 2\nclass Program"));
        repository.Write("src/App/Committed.cs", "class Committed\n{\n}\n");
        repository.Commit("feature");
        repository.Write("src/App/Services/Billing.cs", NewCodeScenario.BillingBase.Replace("}\n", "    public int Refund() => -1;\n}\n"));
        repository.Write("src/App/Staged.cs", "class Staged {}\n");
        repository.Git("add", "src/App/Staged.cs");
        repository.Write("src/App/Scratch.cs", "class Scratch {}\n");
        repository.Write("src/App/notes.txt", "not source\n");
        repository.Write("docs/readme.md", "# Changed\n");
        repository.Write("src/Shared/Linked.cs", "class Linked\n{\n    int x;\n}\n");
        var engine = new RecordingBuildEngine();

        var sut = scenario.Run(engine);

        Assert.Equal(AnalyzerScope.Changed, sut.Scope);
        Assert.Equal("main", sut.BaseRef);
        Assert.Equal(repository.Git("rev-parse", "main").Trim(), sut.MergeBase);
        Assert.Equal(
            new[] { "src/App/Committed.cs", "src/App/Program.cs", "src/App/Scratch.cs", "src/App/Services/Billing.cs", "src/App/Staged.cs", "src/Shared/Linked.cs" }
                .Select(scenario.Path_),
            sut.Files.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal));
        var program = sut.Find(scenario.Path_("src/App/Program.cs"))!;
        Assert.Equal([(3, 4)], program.AddedLines);
        Assert.Equal(NewCodeScenario.ProgramBase, File.ReadAllText(program.BaseTextPath!));
        Assert.EndsWith(".killswitch-base", program.BaseTextPath, StringComparison.Ordinal);
        Assert.Equal([(4, 4)], sut.Find(scenario.Path_("src/App/Services/Billing.cs"))!.AddedLines);
        Assert.Equal([(3, 3)], sut.Find(scenario.Path_("src/Shared/Linked.cs"))!.AddedLines);
        Assert.True(sut.Find(scenario.Path_("src/App/Committed.cs"))!.IsWhollyNew);
        Assert.True(sut.Find(scenario.Path_("src/App/Staged.cs"))!.IsWhollyNew);
        Assert.True(sut.Find(scenario.Path_("src/App/Scratch.cs"))!.IsWhollyNew);
        Assert.Null(sut.Find(scenario.Path_("src/App/Committed.cs"))!.BaseTextPath);
        Assert.Empty(engine.Warnings);
    }

    [Fact]
    public void Execute_ModifiedFiles_RemovedLinesNumberedInTheBaseVersion()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/Program.cs", NewCodeScenario.ProgramBase.Replace("Console.WriteLine(1)", "Console.WriteLine(2)"));
        scenario.Repository.Write("src/App/Services/Billing.cs", NewCodeScenario.BillingBase.Replace("}\n", "    public int Refund() => -1;\n}\n"));

        var sut = scenario.Run(new RecordingBuildEngine());

        var program = sut.Find(scenario.Path_("src/App/Program.cs"))!;
        Assert.Equal([(5, 5)], program.AddedLines);
        Assert.Equal([(5, 5)], program.RemovedLines);
        Assert.False(program.OnlyAddsLines);
        var billing = sut.Find(scenario.Path_("src/App/Services/Billing.cs"))!;
        Assert.Equal([(4, 4)], billing.AddedLines);
        Assert.Empty(billing.RemovedLines);
        Assert.True(billing.OnlyAddsLines);
    }

    [Fact]
    public void Execute_ModifiedFiles_BaseTextsAreOutputsWithTheirKind()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/Program.cs", NewCodeScenario.ProgramBase + "// more\n");
        var engine = new RecordingBuildEngine();
        var sut = scenario.CreateTask(engine);

        scenario.Run(sut, engine);

        Assert.Equal("NewCode", sut.NewCodeFile!.GetMetadata("KillswitchKind"));
        var baseText = Assert.Single(sut.BaseTextFiles);
        Assert.Equal("BaseText", baseText.GetMetadata("KillswitchKind"));
        Assert.Equal(NewCodeScenario.ProgramBase, File.ReadAllText(baseText.ItemSpec));
    }

    [Fact]
    public void Execute_RenamedAndEditedFile_BaseTextIsTheOldFile()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Git("mv", "src/App/Services/Billing.cs", "src/App/Services/Invoicing.cs");
        scenario.Repository.Write("src/App/Services/Invoicing.cs", NewCodeScenario.BillingBase.Replace("}\n", "    int added;\n}\n"));
        scenario.Repository.Commit("rename");

        var sut = scenario.Run(new RecordingBuildEngine());

        var renamed = Assert.Single(sut.Files);
        Assert.Equal(scenario.Path_("src/App/Services/Invoicing.cs"), renamed.Path);
        Assert.False(renamed.IsWhollyNew);
        Assert.Equal([(4, 4)], renamed.AddedLines);
        Assert.Equal(NewCodeScenario.BillingBase, File.ReadAllText(renamed.BaseTextPath!));
        Assert.Contains("renamed-from\tsrc/App/Services/Billing.cs", File.ReadAllText(scenario.OutputFile), StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_UntrackedSourceUnderObj_NotNew()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/obj/Debug/App.AssemblyInfo.cs", "// generated\n");
        scenario.Repository.Write("src/App/Real.cs", "class Real {}\n");

        var sut = scenario.Run(new RecordingBuildEngine());

        Assert.Equal([scenario.Path_("src/App/Real.cs")], sut.Files.Select(f => f.Path));
    }

    [Fact]
    public void Execute_PullRequestTargetFromCi_ComparesWithThatBranch()
    {
        using var scenario = new NewCodeScenario();
        var repository = scenario.Repository;
        repository.Git("checkout", "-q", "-b", "develop", "main");
        repository.Write("src/App/Develop.cs", "class Develop {}\n");
        repository.Commit("develop work");
        repository.Git("checkout", "-q", "-b", "topic");
        repository.Write("src/App/Topic.cs", "class Topic {}\n");
        repository.Commit("topic work");
        scenario.Environment["GITHUB_BASE_REF"] = "develop";
        var engine = new RecordingBuildEngine();

        var sut = scenario.Run(engine);

        Assert.Equal("develop", sut.BaseRef);
        Assert.Equal([scenario.Path_("src/App/Topic.cs")], sut.Files.Select(f => f.Path));
        Assert.Contains(engine.Messages, m => m.Message!.Contains("target branch from GITHUB_BASE_REF", StringComparison.Ordinal));
    }

    [Fact]
    public void Execute_Clone_PrefersTheRemoteBranch()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Git("checkout", "-q", "main");
        var clone = GitRepository.Clone(scenario.Repository, Path.Combine(scenario.Root, "clone"));
        clone.Git("checkout", "-q", "-b", "work");
        clone.Write("src/App/Work.cs", "class Work {}\n");
        var engine = new RecordingBuildEngine();

        var sut = scenario.CreateTask(engine, t =>
        {
            t.ProjectDirectory = clone.FullPath("src/App");
            t.Compile = [new Microsoft.Build.Utilities.TaskItem(clone.FullPath("src/App/Work.cs"))];
            t.OutputFile = clone.FullPath("src/App/obj/App.killswitch-newcode");
            t.BaseTextDirectory = clone.FullPath("src/App/obj/base");
        });
        Assert.True(sut.Execute(), engine.Log());

        var text = File.ReadAllText(clone.FullPath("src/App/obj/App.killswitch-newcode"));
        Assert.Contains("base-ref\torigin/main\n", text, StringComparison.Ordinal);
        Assert.Contains("file\t" + clone.FullPath("src/App/Work.cs").Replace('\\', '/') + "\nstatus\tuntracked\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_GitMissing_OneKsb001WarningAndNothingNew()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/New.cs", "class New {}\n");
        var engine = new RecordingBuildEngine();
        var task = scenario.CreateTask(engine, t => t.GitPath = Path.Combine(scenario.Root, "no-such-git"));

        var sut = scenario.Run(task, engine);

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("KSB001", warning.Code);
        Assert.Contains("KillswitchGitPath", warning.Message, StringComparison.Ordinal);
        Assert.Contains("KillswitchNewCodeFallback=None", warning.Message, StringComparison.Ordinal);
        Assert.EndsWith("docs/msbuild.md#ksb001", warning.HelpLink, StringComparison.Ordinal);
        Assert.Equal(AnalyzerScope.None, sut.Scope);
        Assert.Empty(sut.Files);
        Assert.Equal("KSB001", task.ProblemCode);
    }

    [Fact]
    public void Execute_NotARepository_Ksb002()
    {
        using var directory = new TemporaryDirectory("norepo");
        Assert.False(Killswitch.Build.Git.GitStateFingerprint.TryFindGitDirectory(directory.Path, out _, out _), "the temp folder must be outside any repository");
        File.WriteAllText(directory.Combine("A.cs"), "class A {}\n");
        var engine = new RecordingBuildEngine();
        var sut = new Killswitch.Build.Tasks.ComputeKillswitchNewCode
        {
            BuildEngine = engine,
            ProjectDirectory = directory.Path,
            Compile = [new Microsoft.Build.Utilities.TaskItem(directory.Combine("A.cs"))],
            OutputFile = directory.Combine("obj", "A.killswitch-newcode"),
            BaseTextDirectory = directory.Combine("obj", "base"),
            Environment = _ => null,
        };

        Assert.True(sut.Execute(), engine.Log());

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("KSB002", warning.Code);
        Assert.Contains("not inside a git working tree", warning.Message, StringComparison.Ordinal);
        Assert.Contains("scope\tNone", File.ReadAllText(directory.Combine("obj", "A.killswitch-newcode")), StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_UnknownBaseRef_Ksb003NamesTheRefAndTheProperty()
    {
        using var scenario = new NewCodeScenario();
        var engine = new RecordingBuildEngine();

        var sut = scenario.Run(engine, t => t.BaseRef = "nope");

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("KSB003", warning.Code);
        Assert.Contains("'nope' (KillswitchBaseRef)", warning.Message, StringComparison.Ordinal);
        Assert.Equal(AnalyzerScope.None, sut.Scope);
    }

    [Fact]
    public void Execute_NoDefaultBranch_Ksb003ListsEveryRefTried()
    {
        using var directory = new TemporaryDirectory("trunk");
        var repository = GitRepository.Init(directory.Combine("repo"));
        repository.Git("checkout", "-q", "-b", "trunk");
        repository.Write("A.cs", "class A {}\n");
        repository.Commit("base");
        var engine = new RecordingBuildEngine();
        var sut = new Killswitch.Build.Tasks.ComputeKillswitchNewCode
        {
            BuildEngine = engine,
            ProjectDirectory = repository.Path,
            Compile = [new Microsoft.Build.Utilities.TaskItem(repository.FullPath("A.cs"))],
            OutputFile = directory.Combine("out", "A.killswitch-newcode"),
            BaseTextDirectory = directory.Combine("out", "base"),
            Environment = _ => null,
        };

        Assert.True(sut.Execute(), engine.Log());

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("KSB003", warning.Code);
        Assert.Contains("(origin/main, main, origin/master, master)", warning.Message, StringComparison.Ordinal);
        Assert.Contains("KillswitchBaseRef", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_ShallowCloneWithoutMergeBase_Ksb004SaysHowToFetch()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/Feature.cs", "class Feature {}\n");
        scenario.Repository.Commit("feature 1");
        scenario.Repository.Write("src/App/Feature2.cs", "class Feature2 {}\n");
        scenario.Repository.Commit("feature 2");
        var clone = GitRepository.Clone(scenario.Repository, Path.Combine(scenario.Root, "shallow"), "--depth", "1", "--no-single-branch");
        var engine = new RecordingBuildEngine();

        var sut = scenario.Run(engine, t =>
        {
            t.ProjectDirectory = clone.FullPath("src/App");
            t.Compile = [new Microsoft.Build.Utilities.TaskItem(clone.FullPath("src/App/Feature.cs"))];
            t.OutputFile = clone.FullPath("obj/App.killswitch-newcode");
        });

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("KSB004", warning.Code);
        Assert.Contains("fetch-depth: 0", warning.Message, StringComparison.Ordinal);
        Assert.Contains("git fetch --unshallow", warning.Message, StringComparison.Ordinal);
        Assert.Contains("origin/main", warning.Message, StringComparison.Ordinal);
        Assert.Equal(AnalyzerScope.None, sut.Scope);
    }

    [Fact]
    public void Execute_ShallowCloneWithoutTheBaseBranch_Ksb003WithShallowAdvice()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/Feature.cs", "class Feature {}\n");
        scenario.Repository.Commit("feature");
        var clone = GitRepository.Clone(scenario.Repository, Path.Combine(scenario.Root, "shallow"), "--depth", "1", "--branch", "feature");
        var engine = new RecordingBuildEngine();

        scenario.Run(engine, t =>
        {
            t.ProjectDirectory = clone.FullPath("src/App");
            t.OutputFile = clone.FullPath("obj/App.killswitch-newcode");
        });

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("KSB003", warning.Code);
        Assert.Contains("shallow clone", warning.Message, StringComparison.Ordinal);
        Assert.Contains("fetch-depth: 0", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_UnrelatedHistories_Ksb005()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Git("checkout", "-q", "--orphan", "unrelated");
        scenario.Repository.Commit("unrelated root");
        var engine = new RecordingBuildEngine();

        scenario.Run(engine);

        Assert.Equal("KSB005", Assert.Single(engine.Warnings).Code);
    }

    [Fact]
    public void Execute_GateFallback_ErrorFailsTheTask()
    {
        using var scenario = new NewCodeScenario();
        var engine = new RecordingBuildEngine();
        var sut = scenario.CreateTask(engine, t =>
        {
            t.BaseRef = "nope";
            t.Fallback = "Error";
        });

        Assert.False(sut.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("KSB003", error.Code);
        Assert.Contains("KillswitchNewCodeFallback", error.Message, StringComparison.Ordinal);
        Assert.Empty(engine.Warnings);
        Assert.Equal(AnalyzerScope.None, scenario.ReadOutput().Scope);
    }

    [Fact]
    public void Execute_GateFallbackInDesignTimeBuild_WarningOnly()
    {
        using var scenario = new NewCodeScenario();
        var engine = new RecordingBuildEngine();

        scenario.Run(engine, t =>
        {
            t.BaseRef = "nope";
            t.Fallback = "Error";
            t.DesignTimeBuild = true;
        });

        Assert.Empty(engine.Errors);
        Assert.Equal("KSB003", Assert.Single(engine.Warnings).Code);
    }

    [Fact]
    public void Execute_FallbackAll_EverythingIsNew()
    {
        using var scenario = new NewCodeScenario();
        var engine = new RecordingBuildEngine();

        var sut = scenario.Run(engine, t =>
        {
            t.BaseRef = "nope";
            t.Fallback = "all";
        });

        Assert.Equal(AnalyzerScope.All, sut.Scope);
        Assert.Contains("KillswitchNewCodeFallback=All", Assert.Single(engine.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_SameProblemTwiceInOneBuild_OneWarning()
    {
        using var scenario = new NewCodeScenario();
        var engine = new RecordingBuildEngine();

        scenario.Run(engine, t => t.BaseRef = "nope");
        scenario.Run(engine, t => t.BaseRef = "nope");

        Assert.Single(engine.Warnings);
        Assert.Contains(engine.Messages, m => m.Message!.StartsWith("KSB003: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("All", AnalyzerScope.All)]
    [InlineData("none", AnalyzerScope.None)]
    public void Execute_ScopeWithoutGit_NoGitCallAndThatScope(string scope, AnalyzerScope expected)
    {
        using var scenario = new NewCodeScenario();
        var engine = new RecordingBuildEngine();
        var task = scenario.CreateTask(engine, t => t.Scope = scope);

        var sut = scenario.Run(task, engine);

        Assert.Equal(expected, sut.Scope);
        Assert.Equal(0, task.GitInvocationCount);
        Assert.Empty(engine.Warnings);
    }

    [Fact]
    public void Execute_InvalidScope_Ksb010NamesThePropertyAndUsesChanged()
    {
        using var scenario = new NewCodeScenario();
        var engine = new RecordingBuildEngine();

        var sut = scenario.Run(engine, t => t.Scope = "Everything");

        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("KSB010", warning.Code);
        Assert.Contains("KillswitchNewCodeScope is 'Everything'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Changed, All or None", warning.Message, StringComparison.Ordinal);
        Assert.Equal(AnalyzerScope.Changed, sut.Scope);
    }

    [Fact]
    public void Execute_NothingChangedSinceLastBuild_NoGitCallAndOutputUntouched()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/Program.cs", NewCodeScenario.ProgramBase + "// more\n");
        scenario.Repository.AgeFiles();
        var engine = new RecordingBuildEngine();
        var first = scenario.CreateTask(engine);
        scenario.Run(first, engine);
        var written = File.GetLastWriteTimeUtc(scenario.OutputFile);
        var content = File.ReadAllText(scenario.OutputFile);

        var sut = scenario.CreateTask(engine);
        scenario.Run(sut, engine);

        Assert.True(first.GitInvocationCount >= 5, $"first run: {first.GitInvocationCount} git calls");
        Assert.Equal(0, sut.GitInvocationCount);
        Assert.Single(sut.BaseTextFiles);
        Assert.Equal(content, File.ReadAllText(scenario.OutputFile));
        Assert.Equal(written, File.GetLastWriteTimeUtc(scenario.OutputFile));
    }

    [Fact]
    public void Execute_SourceEditedSinceLastBuild_GitRunsAgain()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.AgeFiles();
        var engine = new RecordingBuildEngine();
        scenario.Run(engine);
        scenario.Repository.Write("src/App/Program.cs", NewCodeScenario.ProgramBase + "// edited\n");

        var task = scenario.CreateTask(engine);
        var sut = scenario.Run(task, engine);

        Assert.True(task.GitInvocationCount > 0);
        Assert.Equal([(7, 7)], sut.Find(scenario.Path_("src/App/Program.cs"))!.AddedLines);
    }

    [Fact]
    public void Execute_BaseBranchMovedSinceLastBuild_GitRunsAgain()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/Feature.cs", "class Feature {}\n");
        scenario.Repository.Commit("feature");
        scenario.Repository.AgeFiles();
        var engine = new RecordingBuildEngine();
        var before = scenario.Run(engine);
        scenario.Repository.Git("branch", "-f", "main", "feature");

        var task = scenario.CreateTask(engine);
        var sut = scenario.Run(task, engine);

        Assert.Single(before.Files);
        Assert.True(task.GitInvocationCount > 0);
        Assert.Empty(sut.Files);
    }

    [Fact]
    public void Execute_FileNoLongerModified_ItsBaseTextIsDeleted()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/Program.cs", NewCodeScenario.ProgramBase + "// more\n");
        var engine = new RecordingBuildEngine();
        var first = scenario.CreateTask(engine);
        scenario.Run(first, engine);
        var baseText = Assert.Single(first.BaseTextFiles).ItemSpec;
        scenario.Repository.Write("src/App/Program.cs", NewCodeScenario.ProgramBase);

        var sut = scenario.Run(engine);

        Assert.Empty(sut.Files);
        Assert.False(File.Exists(baseText));
    }

    [Fact]
    public void Execute_NonAsciiAndSpacesInPaths_Matched()
    {
        using var scenario = new NewCodeScenario();
        var path = scenario.Repository.Write("src/App/Zürich Orders.cs", "class Z {}\n");
        scenario.Repository.Commit("add");
        scenario.Repository.Write("src/App/Zürich Orders.cs", "class Z {}\n// more\n");

        var sut = scenario.Run(new RecordingBuildEngine());

        var file = Assert.Single(sut.Files);
        Assert.Equal(path.Replace('\\', '/'), file.Path);
        Assert.True(file.IsWhollyNew);
    }

    [Fact]
    public void Execute_StaleStatInformationInTheIndex_IndexNotRewrittenAndUnchangedFilesNotListed()
    {
        using var scenario = new NewCodeScenario();
        scenario.Repository.Write("src/App/Program.cs", NewCodeScenario.ProgramBase + "// more\n");
        scenario.Repository.AgeFiles();
        var index = Path.Combine(scenario.Repository.Path, ".git", "index");
        var indexWritten = File.GetLastWriteTimeUtc(index);

        var sut = scenario.Run(new RecordingBuildEngine());

        Assert.Equal([scenario.Path_("src/App/Program.cs")], sut.Files.Select(f => f.Path));
        Assert.Equal(indexWritten, File.GetLastWriteTimeUtc(index));
    }
}
