using System;
using System.IO;
using Killswitch.Build.Reports;
using Killswitch.Build.Tasks;
using Killswitch.Build.Tests.Infrastructure;
using Killswitch.Build.Tests.Reports;

namespace Killswitch.Build.Tests.Tasks;

public class WriteKillswitchReportsTests
{
    [Fact]
    public void Execute_SarifWithFindings_SummaryAndStepSummaryWritten()
    {
        using var directory = new TemporaryDirectory("reports");
        File.WriteAllText(directory.Combine("log.sarif"), SarifSamples.Version21);
        File.WriteAllText(directory.Combine("step.md"), "earlier step\n");
        var engine = new RecordingBuildEngine();
        var sut = Create(directory, engine);

        Assert.True(sut.Execute(), engine.Log());

        var summary = File.ReadAllText(directory.Combine("summary.md"));
        Assert.Contains("2 new code paths not behind a feature flag in Shop.Api", summary, StringComparison.Ordinal);
        Assert.Equal("earlier step\n" + summary + "\n", File.ReadAllText(directory.Combine("step.md")));
        Assert.Equal(2, sut.FindingCount);
        Assert.Empty(engine.Warnings);
    }

    [Fact]
    public void Execute_WriteBaseline_EveryKeyWrittenSorted()
    {
        using var directory = new TemporaryDirectory("reports");
        File.WriteAllText(directory.Combine("log.sarif"), SarifSamples.Version21);
        var engine = new RecordingBuildEngine();
        var sut = Create(directory, engine);
        sut.WriteBaseline = true;
        sut.BaselineFile = directory.Combine("killswitch.baseline");

        Assert.True(sut.Execute(), engine.Log());

        Assert.Equal(
            BaselineDocument.DefaultHeader + "KS1001 <top-level> endpoint GET /new-unguarded\nKS1001 Shop.Api.Services.Billing.Refund(int)\n",
            File.ReadAllText(directory.Combine("killswitch.baseline")));
        Assert.Contains(engine.Messages, m => m.Message!.Contains("2 entries (2 added, 0 removed)", StringComparison.Ordinal));
    }

    [Fact]
    public void Execute_NoSarifLog_Ksb021AndSummarySaysSo()
    {
        using var directory = new TemporaryDirectory("reports");
        var engine = new RecordingBuildEngine();
        var sut = Create(directory, engine);

        Assert.True(sut.Execute(), engine.Log());

        Assert.Equal("KSB021", Assert.Single(engine.Warnings).Code);
        Assert.Contains("The compiler wrote no SARIF log", File.ReadAllText(directory.Combine("summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_BuildStoppedBeforeCompilation_StaleSarifNotRead()
    {
        using var directory = new TemporaryDirectory("reports");
        File.WriteAllText(directory.Combine("log.sarif"), SarifSamples.Version21);
        File.WriteAllText(directory.Combine("App.killswitch-newcode"), "killswitch-newcode\t1\nscope\tNone\nproblem\tKSB003 None of the base refs tried exists.\n");
        var engine = new RecordingBuildEngine();
        var sut = Create(directory, engine);
        sut.CompilationReached = false;
        sut.NewCodeFailed = true;

        Assert.True(sut.Execute(), engine.Log());

        var summary = File.ReadAllText(directory.Combine("summary.md"));
        Assert.Equal(0, sut.FindingCount);
        Assert.Contains("could not tell which code is new", summary, StringComparison.Ordinal);
        Assert.Contains("**KSB003**", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("| Location |", summary, StringComparison.Ordinal);
    }

    private static WriteKillswitchReports Create(TemporaryDirectory directory, RecordingBuildEngine engine) => new()
    {
        BuildEngine = engine,
        ProjectName = "Shop.Api",
        SarifFile = directory.Combine("log.sarif"),
        SummaryFile = directory.Combine("summary.md"),
        StepSummaryFile = directory.Combine("step.md"),
        NewCodeFile = directory.Combine("App.killswitch-newcode"),
        CompilationReached = true,
        Gate = true,
    };
}
