namespace Killswitch.Flags.Tests;

/// <summary>The C# snippets of docs/flags.md and src/Killswitch.Flags/README.md, compiled and run (DocumentationTests checks they match).</summary>
/// <remarks>The snippets write to the console and the README's reads relative paths, so these tests run alone.</remarks>
[Collection(nameof(DocumentationSnippets))]
public sealed class DocumentationSnippets : IDisposable
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("killswitch-docs-").FullName;
    private readonly TextWriter _out = Console.Out;
    private readonly TextWriter _error = Console.Error;
    private readonly StringWriter _console = new();

    public DocumentationSnippets()
    {
        Console.SetOut(_console);
        Console.SetError(_console);
    }

    public void Dispose()
    {
        Console.SetOut(_out);
        Console.SetError(_error);
        _console.Dispose();
        Directory.Delete(_workDirectory, recursive: true);
    }

    [Fact]
    public void FlagsDoc_ReadCheckAndLookUp()
    {
        const string flagdJson = """
            { "flags": { "new-checkout": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off",
              "metadata": { "expiry": "2026-03-31" } } } }
            """;
        const string cliJson = """{ "flags": { "greeting": { "flagType": "string", "defaultValue": 3 } } }""";
        var today = new DateTime(2026, 4, 1);

        var manifest = FlagManifest.Parse(
            new ManifestFile("flags/flagd.json", flagdJson),
            new ManifestFile("flags/openfeature.json", cliJson));

        foreach (var diagnostic in manifest.Diagnostics)
        {
            Console.Error.WriteLine(diagnostic); // flags/flagd.json(7,16): error MixedVariantTypes: ...
        }

        var checkout = manifest.Find("new-checkout");
        if (checkout is { Type: FlagType.Boolean, Metadata.Permanent: false } && checkout.Metadata.Expiry < today)
        {
            Console.WriteLine($"{checkout.Key} expired on {checkout.Metadata.Expiry:yyyy-MM-dd} ({checkout.Location})");
        }

        Assert.Equal(
            "flags/openfeature.json(1,66): error DefaultValueTypeMismatch: Flag 'greeting' has flagType \"string\" but its defaultValue is an integer.\n"
            + "new-checkout expired on 2026-03-31 (flags/flagd.json(1,14))\n",
            _console.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void FlagsDoc_ServeOneVariantOfEveryFlag()
    {
        var manifest = FlagManifest.Parse("flags.json", """{ "flags": { "a": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "on" } } }""");
        var workDirectory = _workDirectory;

        var pinned = manifest.Flags.Select(flag => flag.WithServedVariant(flag.Variants[^1].Name));
        File.WriteAllText(Path.Combine(workDirectory, "flags.json"), FlagdWriter.Write(pinned));

        var written = FlagManifest.Load(Path.Combine(workDirectory, "flags.json"));
        Assert.Equal("off", written.Find("a")!.DefaultVariant);
    }

    [Fact]
    public void Readme_Usage()
    {
        Directory.CreateDirectory(Path.Combine(_workDirectory, "flags"));
        File.WriteAllText(Path.Combine(_workDirectory, "flags", "flagd.json"), """{ "flags": { "new-checkout": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" } } }""");
        File.WriteAllText(Path.Combine(_workDirectory, "flags", "openfeature.json"), """{ "flags": { "limit": { "flagType": "integer", "defaultValue": 5 } } }""");
        var current = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _workDirectory;
        try
        {
            var manifest = FlagManifest.Load("flags/flagd.json", "flags/openfeature.json");
            if (manifest.HasErrors)
            {
                foreach (var diagnostic in manifest.Diagnostics)
                {
                    Console.Error.WriteLine(diagnostic); // flags/flagd.json(7,16): error MixedVariantTypes: ...
                }
            }

            foreach (var flag in manifest.Flags)
            {
                Console.WriteLine($"{flag.Key}: {flag.Type}, variants {string.Join(", ", flag.Variants)}, default {flag.DefaultValue?.ToJson() ?? "from code"}");
            }
        }
        finally
        {
            Environment.CurrentDirectory = current;
        }

        Assert.Equal(
            "new-checkout: Boolean, variants on=true, off=false, default false\nlimit: Integer, variants default=5, default 5\n",
            _console.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}

[CollectionDefinition(nameof(DocumentationSnippets), DisableParallelization = true)]
public sealed class DocumentationSnippetsRunAlone;
