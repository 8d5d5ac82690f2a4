using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Killswitch.Build.Diagnostics;

namespace Killswitch.Build.Tests.Documentation;

/// <summary>docs/msbuild.md documents every property the targets read and every message the package logs.</summary>
public class DocumentationTests
{
    private static readonly string RepositoryRoot = typeof(DocumentationTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Killswitch.RepoRoot").Value!;

    private static readonly string Docs = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "msbuild.md"));

    [Fact]
    public void MsBuildDocs_EveryPublicPropertyOfTheTargets_HasARow()
    {
        var targets = File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Killswitch.Build", "build", "Killswitch.Build.targets"));
        var properties = Regex.Matches(targets, @"\$\((Killswitch[A-Za-z]+)\)").Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(properties);
        Assert.All(properties, property => Assert.Contains("| `" + property + "` |", Docs, StringComparison.Ordinal));
    }

    [Fact]
    public void MsBuildDocs_EveryMessageCode_HasAHeadingTheHelpLinkPointsAt()
    {
        var codes = typeof(BuildMessageCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(BuildMessageCodes.DocsUrl))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code =>
        {
            Assert.Contains("\n### " + code + "\n", Docs, StringComparison.Ordinal);
            Assert.EndsWith("docs/msbuild.md#" + code.ToLowerInvariant(), BuildMessageCodes.HelpLink(code), StringComparison.Ordinal);
        });
    }
}
