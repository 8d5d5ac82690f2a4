using System.Reflection;
using Killswitch.Analyzers.Rules;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Killswitch.Analyzers.Tests;

public class DescriptorTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in AllDescriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_HelpLink_PointsAtExistingRulePage(string id)
    {
        var descriptor = AllDescriptors().Single(d => d.Id == id);
        Assert.Equal(RuleIdentifiers.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        var page = Path.Combine(AppContext.BaseDirectory, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"docs/rules/{id}.md is missing");
        Assert.StartsWith("# " + id, File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Fact]
    public void RuleIdentifiers_AreUniqueAndAllReported()
    {
        var constants = typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(RuleIdentifiers.HelpLinkBase))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.Equal(constants.Count, constants.Distinct().Count());
        Assert.Equal(constants.OrderBy(c => c), AllDescriptors().Select(d => d.Id).Distinct().OrderBy(c => c));
    }

    private static IEnumerable<Microsoft.CodeAnalysis.DiagnosticDescriptor> AllDescriptors() =>
        typeof(UnguardedNewCodeAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics);
}
