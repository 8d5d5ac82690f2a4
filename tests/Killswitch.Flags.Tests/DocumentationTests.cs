using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Killswitch.Flags.Tests;

/// <summary>Keeps docs/flags.md and the package README true: every code documented, every example valid, every C# snippet compiled.</summary>
public partial class DocumentationTests
{
    private static readonly string FlagsDoc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "flags.md"));
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Killswitch.Flags", "README.md"));

    [Fact]
    public void FlagsDoc_EveryErrorCode_HasASection()
    {
        var missing = Enum.GetNames<ManifestErrorCode>().Where(code => !FlagsDoc.Contains("\n### " + code + "\n", StringComparison.Ordinal));

        Assert.Empty(missing);
    }

    [Fact]
    public void Docs_EveryJsonExample_LoadsWithoutDiagnostics()
    {
        var examples = Blocks(FlagsDoc, "json").Concat(Blocks(Readme, "json")).ToList();

        Assert.True(examples.Count >= 3);
        Assert.All(examples, json => Assert.Empty(FlagManifest.Parse("example.json", json).Diagnostics));
    }

    [Fact]
    public void Docs_EveryCSharpSnippet_IsCodeInDocumentationSnippets()
    {
        var source = Lines(File.ReadAllText(Path.Combine(SourceDirectory(), "DocumentationSnippets.cs")));
        var snippets = Blocks(FlagsDoc, "csharp").Concat(Blocks(Readme, "csharp")).ToList();

        Assert.True(snippets.Count >= 3);
        Assert.All(snippets, snippet =>
        {
            var lines = Lines(snippet);
            var found = Enumerable.Range(0, source.Count - lines.Count + 1).Any(start => source.Skip(start).Take(lines.Count).SequenceEqual(lines));
            Assert.True(found, "This snippet is not in DocumentationSnippets.cs:\n" + snippet);
        });
    }

    private static IEnumerable<string> Blocks(string markdown, string language) =>
        BlockPattern().Matches(markdown).Where(m => m.Groups[1].Value == language).Select(m => m.Groups[2].Value);

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static string RepositoryRoot() => Path.GetFullPath(Path.Combine(SourceDirectory(), "..", ".."));

    [GeneratedRegex("```(\\w+)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BlockPattern();
}
