using System;
using System.Threading.Tasks;
using Killswitch.Build.Git;
using Killswitch.Build.Tests.Infrastructure;

namespace Killswitch.Build.Tests.Git;

public class CommandLineTests
{
    [Theory]
    [InlineData("simple")]
    [InlineData("with space")]
    [InlineData("")]
    [InlineData("quote\"inside")]
    [InlineData("trailing\\")]
    [InlineData("back\\\\\"slash quote")]
    [InlineData("origin/main^{commit}")]
    public async Task Join_AnyArgument_ReachesTheProcessUnchanged(string argument)
    {
        using var directory = new TemporaryDirectory("cmdline");
        var sut = new GitRunner("git", directory.Path, TimeSpan.FromSeconds(30));

        // 'git rev-parse --sq-quote' echoes its arguments, shell-quoted: a round trip through the real command line.
        var result = await sut.RunAsync(["rev-parse", "--sq-quote", argument, "end"]);

        var expected = ProcessRunner.Run("git", ["rev-parse", "--sq-quote", argument, "end"], directory.Path).Output;
        Assert.Equal(expected, result.StandardOutput);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Join_SeveralArguments_SeparatedBySpaces()
    {
        Assert.Equal("diff \"a b\" --", CommandLine.Join(["diff", "a b", "--"]));
    }
}
