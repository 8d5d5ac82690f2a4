using System;
using Killswitch.Build.Git;

namespace Killswitch.Build.Tests.Git;

public class GitQuotedPathTests
{
    [Theory]
    [InlineData("plain/path.cs", "plain/path.cs")]
    [InlineData("\"a\\\\b.cs\"", "a\\b.cs")]
    [InlineData("\"quote\\\"d.cs\"", "quote\"d.cs")]
    [InlineData("\"t\\303\\244st.cs\"", "täst.cs")]
    [InlineData("\"line\\nbreak.cs\"", "line\nbreak.cs")]
    public void Unquote_GitCStyle_OriginalName(string quoted, string expected)
    {
        Assert.Equal(expected, GitQuotedPath.Unquote(quoted));
    }

    [Fact]
    public void Unquote_NamesGitQuotes_MatchTheFileOnDisk()
    {
        using var directory = new Infrastructure.TemporaryDirectory("quoted");
        var repository = Infrastructure.GitRepository.Init(directory.Combine("repo"));
        repository.Write("dir/\"odd\" näme.cs", "class A {}\n");

        var listed = repository.Git("ls-files", "--others").Trim();

        Assert.StartsWith("\"", listed, StringComparison.Ordinal);
        Assert.Equal("dir/\"odd\" näme.cs", GitQuotedPath.Unquote(listed));
    }
}
