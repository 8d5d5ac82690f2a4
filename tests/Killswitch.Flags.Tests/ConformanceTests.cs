namespace Killswitch.Flags.Tests;

/// <summary>
/// Examples equivalent to the flagd schema's test files (json/test/flags/positive and negative of open-feature/flagd-schemas)
/// and the OpenFeature CLI manifest schema's, written for Killswitch. Valid files load with no diagnostic; invalid ones are
/// rejected with the documented message. Each file's whole outcome (flags, then diagnostics) is pinned in the
/// <c>.expected</c> file beside it. Set KILLSWITCH_UPDATE_EXPECTED=1 to rewrite those files after a deliberate change,
/// then review the diff.
/// </summary>
public class ConformanceTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Conformance");

    public static TheoryData<string> PositiveFiles() => Files("positive");

    public static TheoryData<string> NegativeFiles() => Files("negative");

    [Theory]
    [MemberData(nameof(PositiveFiles))]
    public void Parse_ValidExample_LoadsWithoutDiagnostics(string file)
    {
        var sut = Parse(file);

        Assert.Empty(sut.Diagnostics);
        Assert.NotEmpty(sut.Flags);
        AssertExpected(file, sut);
    }

    [Theory]
    [MemberData(nameof(NegativeFiles))]
    public void Parse_InvalidExample_IsRejectedWithTheDocumentedMessage(string file)
    {
        var sut = Parse(file);

        Assert.NotEmpty(sut.Diagnostics);
        AssertExpected(file, sut);
    }

    [Fact]
    public void Examples_CoverBothFormatsBothWays()
    {
        Assert.All(
            new[] { "flagd/positive", "flagd/negative", "cli/positive", "cli/negative" },
            folder => Assert.True(Directory.GetFiles(Path.Combine(Root, folder), "*.json").Length >= 2, folder));
    }

    private static FlagManifest Parse(string file) =>
        FlagManifest.Parse(file, File.ReadAllText(Path.Combine(Root, file)));

    private static void AssertExpected(string file, FlagManifest manifest)
    {
        var actual = ManifestDump.Describe(manifest);
        var expectedPath = Path.Combine(Root, Path.ChangeExtension(file, ".expected"));
        if (Environment.GetEnvironmentVariable("KILLSWITCH_UPDATE_EXPECTED") == "1")
        {
            var source = Path.Combine(SourceDirectory(), "Conformance", Path.ChangeExtension(file, ".expected"));
            File.WriteAllText(source, actual);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing; run with KILLSWITCH_UPDATE_EXPECTED=1 and review it.");
        Assert.Equal(File.ReadAllText(expectedPath), actual);
    }

    private static TheoryData<string> Files(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var format in new[] { "flagd", "cli" })
        {
            foreach (var path in Directory.GetFiles(Path.Combine(Root, format, kind), "*.json").OrderBy(p => p, StringComparer.Ordinal))
            {
                data.Add(format + "/" + kind + "/" + Path.GetFileName(path));
            }
        }

        return data;
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
