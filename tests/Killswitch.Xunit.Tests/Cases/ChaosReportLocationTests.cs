namespace Killswitch.Xunit.Tests.Cases;

public sealed class ChaosReportLocationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ks-report-" + Guid.NewGuid().ToString("N"));

    public ChaosReportLocationTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".git"));
        Directory.CreateDirectory(Path.Combine(_root, "tests", "bin"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Resolve_NothingSet_TestResultsKillswitchUnderTheRepositoryRoot()
    {
        var sut = ChaosReportLocation.Resolve(null, Path.Combine(_root, "tests", "bin"), _ => null);

        Assert.Equal(Path.Combine(_root, "TestResults", "killswitch"), sut);
    }

    [Fact]
    public void Resolve_AttributeSet_RelativeToTheRepositoryRoot()
    {
        var sut = ChaosReportLocation.Resolve("artifacts/chaos", Path.Combine(_root, "tests", "bin"), _ => null);

        Assert.Equal(Path.Combine(_root, "artifacts", "chaos"), sut);
    }

    [Fact]
    public void Resolve_EnvironmentSet_WinsOverTheAttribute()
    {
        var absolute = Path.Combine(_root, "elsewhere");

        var sut = ChaosReportLocation.Resolve("artifacts/chaos", Path.Combine(_root, "tests", "bin"), name => name == "KILLSWITCH_REPORT_DIR" ? absolute : null);

        Assert.Equal(absolute, sut);
    }

    [Fact]
    public void FindRepositoryRoot_GitFileOfAWorktree_Counts()
    {
        var worktree = Path.Combine(_root, "wt");
        Directory.CreateDirectory(Path.Combine(worktree, "src"));
        File.WriteAllText(Path.Combine(worktree, ".git"), "gitdir: elsewhere");

        Assert.Equal(worktree, ChaosReportLocation.FindRepositoryRoot(Path.Combine(worktree, "src")));
    }
}
