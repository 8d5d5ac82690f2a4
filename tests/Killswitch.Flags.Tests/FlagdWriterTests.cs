namespace Killswitch.Flags.Tests;

public class FlagdWriterTests
{
    [Fact]
    public void Write_FlagsOfBothFormats_GivesAFlagdFileThatReadsBackToTheSameFlags()
    {
        var manifest = FlagManifest.Parse(
            new ManifestFile("flags.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conformance", "flagd", "positive", "all-types-and-evaluators.json"))),
            new ManifestFile("manifest.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conformance", "cli", "positive", "all-types.json"))));

        var json = FlagdWriter.Write(manifest.Flags);
        var sut = FlagManifest.Parse("written.json", json);

        Assert.Empty(sut.Diagnostics);
        Assert.Equal(manifest.Flags.Count, sut.Flags.Count);
        foreach (var (original, written) in manifest.Flags.Zip(sut.Flags))
        {
            Assert.Equal(original.Key, written.Key);
            Assert.Equal(original.Type, written.Type);
            Assert.Equal(original.Variants.Select(v => v.ToString()), written.Variants.Select(v => v.ToString()));
            Assert.Equal(original.DefaultVariant, written.DefaultVariant);
            Assert.Equal(original.State, written.State);
            Assert.Equal(original.Targeting, written.Targeting);
            Assert.Equal(original.Description, written.Description);
            Assert.Equal(ManifestFormat.Flagd, written.Format);
        }
    }

    [Fact]
    public void Write_ServedVariantsAndMetadata_WritesTheExpectedText()
    {
        const string json = """
            { "flags": {
              "new-checkout": { "state": "DISABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off",
                                "targeting": { "var": "x" }, "metadata": { "expiry": "2026-03-31" } },
              "limit": { "state": "ENABLED", "variants": { "low": 1, "high": 2.5 } }
            } }
            """;
        var manifest = FlagManifest.Parse("flags.json", json);

        var sut = FlagdWriter.Write([manifest.Find("new-checkout")!.WithServedVariant("on"), manifest.Find("limit")!]);

        Assert.Equal(
            """
            {
              "$schema": "https://flagd.dev/schema/v0/flags.json",
              "flags": {
                "new-checkout": {
                  "state": "ENABLED",
                  "variants": {
                    "on": true,
                    "off": false
                  },
                  "defaultVariant": "on",
                  "metadata": {
                    "expiry": "2026-03-31"
                  }
                },
                "limit": {
                  "state": "ENABLED",
                  "variants": {
                    "low": 1.0,
                    "high": 2.5
                  },
                  "defaultVariant": null
                }
              }
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            sut);
    }

    [Fact]
    public void Write_SameKeyTwice_Throws()
    {
        var flag = FlagManifest.Parse("flags.json", """{ "flags": { "a": { "state": "ENABLED", "variants": { "on": true } } } }""").Find("a")!;

        var exception = Assert.Throws<ArgumentException>(() => FlagdWriter.Write([flag, flag.WithServedVariant("on")]));

        Assert.StartsWith("Flag 'a' is given twice; a flagd file defines each key once.", exception.Message, StringComparison.Ordinal);
    }
}
