using System;
using System.Linq;
using Killswitch.Build.NewCode;

namespace Killswitch.Build.Tests.NewCode;

public class BaseRefCandidatesTests
{
    [Fact]
    public void Get_ExplicitBaseRef_OnlyThat()
    {
        var sut = BaseRefCandidates.Get(" origin/develop ", Environment(("GITHUB_BASE_REF", "main")), out var source);

        Assert.Equal(["origin/develop"], sut);
        Assert.Equal("KillswitchBaseRef", source);
    }

    [Fact]
    public void Get_NoCiVariable_DefaultBranchesInOrder()
    {
        var sut = BaseRefCandidates.Get(null, Environment(), out var source);

        Assert.Equal(["origin/main", "main", "origin/master", "master"], sut);
        Assert.Null(source);
    }

    [Fact]
    public void Get_GitHubPullRequest_TargetBranchFirst()
    {
        var sut = BaseRefCandidates.Get(string.Empty, Environment(("GITHUB_BASE_REF", "release/2.0")), out var source);

        Assert.Equal(["origin/release/2.0", "release/2.0", "origin/main", "main", "origin/master", "master"], sut);
        Assert.Equal("GITHUB_BASE_REF", source);
    }

    [Fact]
    public void Get_AzurePipelinesFullRefName_BranchNameUsed()
    {
        var sut = BaseRefCandidates.Get(null, Environment(("SYSTEM_PULLREQUEST_TARGETBRANCH", "refs/heads/develop")), out var source);

        Assert.Equal("origin/develop", sut[0]);
        Assert.Equal("develop", sut[1]);
        Assert.Equal("SYSTEM_PULLREQUEST_TARGETBRANCH", source);
    }

    [Fact]
    public void Get_TargetIsMain_NotListedTwice()
    {
        var sut = BaseRefCandidates.Get(null, Environment(("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")), out _);

        Assert.Equal(["origin/main", "main", "origin/master", "master"], sut);
    }

    [Theory]
    [InlineData("origin/main", "refs/remotes/origin/main")]
    [InlineData("main", "refs/heads/main")]
    [InlineData("refs/tags/v1", "refs/tags/v1")]
    public void ToFullRefName_ShortName_RefName(string candidate, string expected)
    {
        Assert.Equal(expected, BaseRefCandidates.ToFullRefName(candidate));
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
