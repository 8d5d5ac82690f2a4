using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Killswitch.Build.Reports;
using Killswitch.Build.Tests.Infrastructure;

namespace Killswitch.Build.Tests.EndToEnd;

/// <summary>
/// Real `dotnet build` runs of a web API that references the packed Killswitch.Build, in a throwaway git repository:
/// warnings by default, the gate (errors, SARIF, summary, baseline), and each way git can fail to answer.
/// </summary>
[Collection(EndToEndGroup.Name)]
public class EndToEndTests
{
    private readonly PackedKillswitchFixture _fixture;

    public EndToEndTests(PackedKillswitchFixture fixture) => _fixture = fixture;

    [Fact]
    public void Package_OneReference_CarriesTasksTargetsAndAnalyzers()
    {
        Assert.Contains("build/Killswitch.Build.props", _fixture.PackageEntries);
        Assert.Contains("build/Killswitch.Build.targets", _fixture.PackageEntries);
        Assert.Contains("buildTransitive/Killswitch.Build.targets", _fixture.PackageEntries);
        Assert.Contains("tasks/netstandard2.0/Killswitch.Build.dll", _fixture.PackageEntries);
        Assert.Contains("analyzers/dotnet/cs/Killswitch.Analyzers.dll", _fixture.PackageEntries);
        Assert.DoesNotContain(_fixture.PackageEntries, e => e.StartsWith("lib/", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_FeatureBranchWithUncommittedChange_ExactlyTheUnguardedPathsAreWarnings()
    {
        var consumer = ConsumerRepository.Create(_fixture, "warnings");

        var sut = consumer.Build();

        Assert.True(sut.ExitCode == 0, sut.Log);
        Assert.Equal(
            [(consumer.ProgramFile, ConsumerRepository.UnguardedEndpointLine, "warning"), (consumer.BillingFile, ConsumerRepository.NewMethodLine, "warning")],
            sut.WithCode("KS1001").Select(d => (d.File, d.Line, d.Level)).OrderBy(d => d.File, StringComparer.Ordinal));
        Assert.Contains("/new-unguarded", sut.WithCode("KS1001").Single(d => d.File == consumer.ProgramFile).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sut.Diagnostics, d => d.Code.StartsWith("KSB", StringComparison.Ordinal) || d.Code.StartsWith("KS0", StringComparison.Ordinal));
        Assert.False(File.Exists(consumer.SarifFile), "no SARIF outside gate mode");
    }

    [Fact]
    public void Build_NothingChanged_CompilerNotRunAgain()
    {
        var consumer = ConsumerRepository.Create(_fixture, "incremental");
        var first = consumer.Build();
        var newCode = File.ReadAllText(consumer.NewCodeFile);
        var written = File.GetLastWriteTimeUtc(consumer.NewCodeFile);

        var sut = consumer.Build();

        Assert.True(first.ExitCode == 0 && sut.ExitCode == 0, sut.Log);
        Assert.Contains("Skipping target \"CoreCompile\" because all output files are up-to-date", sut.Log, StringComparison.Ordinal);
        Assert.Equal(newCode, File.ReadAllText(consumer.NewCodeFile));
        Assert.Equal(written, File.GetLastWriteTimeUtc(consumer.NewCodeFile));
    }

    [Fact]
    public void Gate_UnguardedNewCode_FailsWithSarifAndSummaryAndBaselineSuppressesListedFinding()
    {
        var consumer = ConsumerRepository.Create(_fixture, "gate");

        var sut = consumer.Build("-p:KillswitchGate=true");

        Assert.NotEqual(0, sut.ExitCode);
        Assert.Equal(
            [(consumer.ProgramFile, ConsumerRepository.UnguardedEndpointLine, "error"), (consumer.BillingFile, ConsumerRepository.NewMethodLine, "error")],
            sut.WithCode("KS1001").Select(d => (d.File, d.Line, d.Level)).OrderBy(d => d.File, StringComparer.Ordinal));
        var sarif = ReadSarif(consumer);
        Assert.Equal(
            [(consumer.ProgramFile, ConsumerRepository.UnguardedEndpointLine), (consumer.BillingFile, ConsumerRepository.NewMethodLine)],
            sarif.Select(f => (f.FilePath!, f.Line)).OrderBy(f => f.Item1, StringComparer.Ordinal));
        Assert.All(sarif, f => Assert.Equal("error", f.Level));
        var summary = File.ReadAllText(consumer.SummaryFile);
        Assert.StartsWith("### ❌ Killswitch: 2 new code paths not behind a feature flag in Shop.Api (net10.0)", summary, StringComparison.Ordinal);
        Assert.Contains("`src/Shop.Api/Program.cs:19`", summary, StringComparison.Ordinal);
        Assert.Contains("`src/Shop.Api/Services/Billing.cs:10`", summary, StringComparison.Ordinal);

        // A team adopting the gate lists the method in the baseline: only the endpoint still fails.
        var methodKey = sarif.Single(f => f.FilePath == consumer.BillingFile).BaselineKey;
        Assert.False(string.IsNullOrEmpty(methodKey));
        File.WriteAllText(Path.Combine(consumer.ProjectDirectory, "killswitch.baseline"), $"# accepted when the gate was adopted\nKS1001 {methodKey}\n");

        var baselined = consumer.Build("-p:KillswitchGate=true");

        Assert.NotEqual(0, baselined.ExitCode);
        Assert.Equal([(consumer.ProgramFile, ConsumerRepository.UnguardedEndpointLine)], baselined.WithCode("KS1001").Select(d => (d.File, d.Line)));
        Assert.Equal([consumer.ProgramFile], ReadSarif(consumer).Select(f => f.FilePath));
        Assert.StartsWith("### ❌ Killswitch: 1 new code path not behind a feature flag", File.ReadAllText(consumer.SummaryFile), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteBaseline_ThenGate_PassesWithSummaryAndStepSummaryInTheReportDirectory()
    {
        var consumer = ConsumerRepository.Create(_fixture, "adopt");
        var stepSummary = Path.Combine(consumer.Repository.Path, "step-summary.md");
        var reports = Path.Combine(consumer.Repository.Path, "artifacts", "killswitch");

        var write = consumer.Build("-p:KillswitchGate=true", "-p:KillswitchWriteBaseline=true");
        var sut = consumer.Build("-p:KillswitchGate=true", "-p:KillswitchStepSummaryFile=" + stepSummary, "-p:KillswitchReportDirectory=" + reports + "/");

        Assert.True(write.ExitCode == 0, write.Log);
        var baseline = File.ReadAllLines(Path.Combine(consumer.ProjectDirectory, "killswitch.baseline")).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(2, baseline.Count);
        Assert.All(baseline, line => Assert.StartsWith("KS1001 ", line, StringComparison.Ordinal));
        Assert.True(sut.ExitCode == 0, sut.Log);
        Assert.Empty(sut.WithCode("KS1001"));
        Assert.DoesNotContain(SarifReader.Read(File.ReadAllText(Path.Combine(reports, "Shop.Api.net10.0.killswitch.sarif"))), f => f.RuleId == "KS1001");
        var summary = File.ReadAllText(Path.Combine(reports, "Shop.Api.net10.0.killswitch.md"));
        Assert.StartsWith("### ✅ Killswitch: no unguarded new code in Shop.Api (net10.0)", summary, StringComparison.Ordinal);
        Assert.Equal(summary + "\n", File.ReadAllText(stepSummary));
    }

    [Fact]
    public void Build_GitMissing_Ksb001OnceAndBuildSucceeds()
    {
        var consumer = ConsumerRepository.Create(_fixture, "nogit");

        var sut = consumer.Build("-p:KillswitchGitPath=" + Path.Combine(_fixture.Root, "no-such-git"));

        AssertOneProblemAndQuiet(sut, "KSB001", "Install git and put it on PATH, or set KillswitchGitPath");
    }

    [Fact]
    public void Build_UnknownBaseRef_Ksb003OnceAndBuildSucceeds()
    {
        var consumer = ConsumerRepository.Create(_fixture, "noref");

        var sut = consumer.Build("-p:KillswitchBaseRef=nope");

        AssertOneProblemAndQuiet(sut, "KSB003", "The base ref 'nope' (KillswitchBaseRef) does not exist");
    }

    [Fact]
    public void Build_OutsideAnyRepository_Ksb002OnceAndBuildSucceeds()
    {
        var consumer = ConsumerRepository.Create(_fixture, "export");
        var exported = Path.Combine(_fixture.Root, "exported-" + Guid.NewGuid().ToString("N")[..6]);
        CopyDirectory(consumer.Repository.Path, exported, skip: ".git");
        Assert.False(Killswitch.Build.Git.GitStateFingerprint.TryFindGitDirectory(exported, out _, out _), "the temp folder must be outside any repository");

        var sut = consumer.Run(Path.Combine(exported, "src", "Shop.Api"), "build");

        AssertOneProblemAndQuiet(sut, "KSB002", "is not inside a git working tree");
    }

    [Fact]
    public void Build_ShallowCloneWithoutMergeBase_Ksb004OnceAndBuildSucceeds_GateFails()
    {
        var consumer = ConsumerRepository.Create(_fixture, "origin");
        consumer.Repository.Commit("the uncommitted change, committed");
        var clonePath = Path.Combine(_fixture.Root, "shallow-" + Guid.NewGuid().ToString("N")[..6]);
        GitRepository.Clone(consumer.Repository, clonePath, "--depth", "1", "--no-single-branch");
        var project = Path.Combine(clonePath, "src", "Shop.Api");

        var sut = consumer.Run(project, "build");
        var gate = consumer.Run(project, "build", "-p:KillswitchGate=true");

        AssertOneProblemAndQuiet(sut, "KSB004", "fetch-depth: 0");
        Assert.NotEqual(0, gate.ExitCode);
        Assert.Single(gate.ProjectMessages("KSB004"), m => m.Contains("error KSB004", StringComparison.Ordinal));
        var summary = File.ReadAllText(Path.Combine(project, "obj", "Debug", "net10.0", "Shop.Api.net10.0.killswitch.md"));
        Assert.StartsWith("### ❌ Killswitch could not tell which code is new: Shop.Api (net10.0)", summary, StringComparison.Ordinal);
        Assert.Contains("**KSB004**", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void DesignTimeBuild_HandsTheNewCodeAndTheManifestToTheCompilerWithoutCompilingOrFailing()
    {
        var consumer = ConsumerRepository.Create(_fixture, "designtime");
        var manifest = consumer.Repository.Write("flags.json", "{ \"flags\": {} }\n");
        Assert.Equal(0, consumer.Build("-t:Restore").ExitCode);

        var result = PackedKillswitchFixture.Dotnet(
            consumer.ProjectDirectory,
            "msbuild", "-nologo", "-t:Compile", "-p:DesignTimeBuild=true", "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true",
            "-p:KillswitchGate=true", "-getTargetResult:CoreCompile");

        Assert.True(result.ExitCode == 0, result.All);
        var json = result.Output[result.Output.IndexOf('{', StringComparison.Ordinal)..];
        using var document = JsonDocument.Parse(json);
        var arguments = document.RootElement.GetProperty("TargetResults").GetProperty("CoreCompile").GetProperty("Items")
            .EnumerateArray().Select(item => item.GetProperty("Identity").GetString()!).ToList();
        Assert.Contains(arguments, a => a.StartsWith("/additionalfile:", StringComparison.Ordinal) && a.EndsWith("Shop.Api.killswitch-newcode", StringComparison.Ordinal));
        Assert.Equal(2, arguments.Count(a => a.StartsWith("/additionalfile:", StringComparison.Ordinal) && a.EndsWith(".killswitch-base", StringComparison.Ordinal)));
        Assert.Contains(arguments, a => a.StartsWith("/warnaserror+:", StringComparison.Ordinal) && a.Contains("KS1001", StringComparison.Ordinal));
        Assert.Single(arguments, a => a == "/additionalfile:" + manifest);
        Assert.False(File.Exists(Path.Combine(consumer.IntermediateDirectory, "Shop.Api.dll")), "a design-time build does not compile");
        Assert.Contains("status\tmodified", File.ReadAllText(consumer.NewCodeFile), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Disabled_NoGitNoAnalyzers()
    {
        var consumer = ConsumerRepository.Create(_fixture, "disabled");

        var sut = consumer.Build("-p:KillswitchEnabled=false");

        Assert.True(sut.ExitCode == 0, sut.Log);
        Assert.Empty(sut.WithCode("KS1001"));
        Assert.Contains("/analyzer:", sut.Log, StringComparison.Ordinal);
        Assert.Empty(sut.KillswitchAnalyzers);
        Assert.False(File.Exists(consumer.NewCodeFile));
    }

    private static void AssertOneProblemAndQuiet(BuildOutcome sut, string code, string expectedText)
    {
        Assert.True(sut.ExitCode == 0, sut.Log);
        var message = Assert.Single(sut.ProjectMessages(code));
        Assert.Contains("warning " + code, message, StringComparison.Ordinal);
        Assert.Contains(expectedText, message, StringComparison.Ordinal);
        Assert.Contains("KillswitchNewCodeFallback=None", message, StringComparison.Ordinal);
        Assert.Contains("docs/msbuild.md#" + code.ToLowerInvariant(), message, StringComparison.Ordinal);
        Assert.Empty(sut.WithCode("KS1001"));
        Assert.DoesNotContain(sut.Log.Split('\n'), l => l.Contains(": warning KSB", StringComparison.Ordinal) && !l.Contains(code, StringComparison.Ordinal));
    }

    private static List<Finding> ReadSarif(ConsumerRepository consumer) =>
        SarifReader.Read(File.ReadAllText(consumer.SarifFile)).Where(f => f.RuleId == "KS1001").ToList();

    private static void CopyDirectory(string source, string target, string skip)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] == skip)
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
