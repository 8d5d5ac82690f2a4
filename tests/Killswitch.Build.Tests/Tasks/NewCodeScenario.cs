using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Killswitch.Build.Tasks;
using Killswitch.Build.Tests.Infrastructure;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Microsoft.CodeAnalysis.Text;
using AnalyzerMap = Killswitch.Analyzers.NewCode.NewCodeMap;

namespace Killswitch.Build.Tests.Tasks;

/// <summary>
/// A throwaway repository with a project in src/App (plus a linked file in src/Shared), its base commit on main and a
/// checked-out feature branch; runs the git-step task on it the way the targets do.
/// </summary>
internal sealed class NewCodeScenario : IDisposable
{
    public const string ProgramBase = "using System;\n\nclass Program\n{\n    static void Main() => Console.WriteLine(1);\n}\n";
    public const string BillingBase = "class Billing\n{\n    public int Total(int items) => items * 10;\n}\n";

    private readonly TemporaryDirectory _directory;

    public NewCodeScenario(bool commitBase = true)
    {
        _directory = new TemporaryDirectory("newcode");
        Repository = GitRepository.Init(_directory.Combine("repo"));
        Repository.Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        Repository.Write("src/App/Program.cs", ProgramBase);
        Repository.Write("src/App/Services/Billing.cs", BillingBase);
        Repository.Write("src/Shared/Linked.cs", "class Linked\n{\n}\n");
        Repository.Write("docs/readme.md", "# Readme\n");
        if (commitBase)
        {
            Repository.Commit("base");
            Repository.Git("checkout", "-q", "-b", "feature");
        }
    }

    public GitRepository Repository { get; }

    public string ProjectDirectory => Repository.FullPath("src/App");

    public string Root => _directory.Path;

    public string OutputFile => Path.Combine(ProjectDirectory, "obj", "killswitch", "App.killswitch-newcode");

    public Dictionary<string, string> Environment { get; } = new();

    /// <summary>A task set up as the targets set it up: Compile = the project's .cs files plus the linked one.</summary>
    public ComputeKillswitchNewCode CreateTask(RecordingBuildEngine engine, Action<ComputeKillswitchNewCode>? configure = null)
    {
        var sut = new ComputeKillswitchNewCode
        {
            BuildEngine = engine,
            ProjectDirectory = ProjectDirectory,
            ProjectFile = Path.Combine(ProjectDirectory, "App.csproj"),
            Compile = CompileItems(),
            ExcludedDirectories = ["obj/", "bin/"],
            Scope = "Changed",
            Fallback = "None",
            OutputFile = OutputFile,
            BaseTextDirectory = Path.Combine(ProjectDirectory, "obj", "killswitch", "base"),
            Environment = name => Environment.TryGetValue(name, out var value) ? value : null,
        };
        configure?.Invoke(sut);
        return sut;
    }

    /// <summary>Runs the task and reads its output with the analyzer's parser.</summary>
    public AnalyzerMap Run(RecordingBuildEngine engine, Action<ComputeKillswitchNewCode>? configure = null) =>
        Run(CreateTask(engine, configure), engine);

    public AnalyzerMap Run(ComputeKillswitchNewCode sut, RecordingBuildEngine engine)
    {
        var succeeded = sut.Execute();
        Assert.True(succeeded, engine.Log());
        return ReadOutput(sut.OutputFile);
    }

    public AnalyzerMap ReadOutput(string? outputFile = null)
    {
        var map = AnalyzerMap.Parse(SourceText.From(File.ReadAllText(outputFile ?? OutputFile)), out var error);
        Assert.True(map is not null, error);
        return map!;
    }

    public string Path_(string relative) => Repository.FullPath(relative).Replace('\\', '/');

    public void Dispose() => _directory.Dispose();

    private ITaskItem[] CompileItems()
    {
        var files = Directory.Exists(ProjectDirectory)
            ? Directory.EnumerateFiles(ProjectDirectory, "*.cs", SearchOption.AllDirectories).ToList()
            : [];
        files.Add(Repository.FullPath("src/Shared/Linked.cs"));
        return files.Select(f => (ITaskItem)new TaskItem(f)).ToArray();
    }
}
