using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Killswitch.Build.Tests.EndToEnd;

/// <summary>
/// The precompiled (ReadyToRun) analyzers: the package carries one copy per platform beside the IL one, and a real
/// `dotnet build` hands the compiler the copy for the SDK's platform, with the same findings as the IL analyzers.
/// </summary>
[Collection(EndToEndGroup.Name)]
public class PrecompiledAnalyzerTests
{
    /// <summary>What crossgen2 writes in the PE header for each platform packed: the architecture, XOR-ed with the OS.</summary>
    public static TheoryData<string, ushort> PackedPlatforms => new()
    {
        { "linux-x64", 0x8664 ^ 0x7B79 },
        { "linux-arm64", 0xAA64 ^ 0x7B79 },
        { "osx-arm64", 0xAA64 ^ 0x4644 },
        { "win-x64", 0x8664 },
    };

    private readonly PackedKillswitchFixture _fixture;

    public PrecompiledAnalyzerTests(PackedKillswitchFixture fixture) => _fixture = fixture;

    [Theory]
    [MemberData(nameof(PackedPlatforms))]
    public void Package_Platform_CarriesAReadyToRunAnalyzerWithTheILIdentityAndTheCodeFixesBesideIt(string rid, ushort machine)
    {
        using var archive = ZipFile.OpenRead(_fixture.Package);
        var il = ReadEntry(archive, "analyzers/dotnet/cs/Killswitch.Analyzers.dll");

        var precompiled = ReadEntry(archive, $"precompiled-analyzers/{rid}/Killswitch.Analyzers.dll");

        using (var ilReader = new PEReader(new MemoryStream(il)))
        using (var reader = new PEReader(new MemoryStream(precompiled)))
        {
            Assert.Equal(0, ilReader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size);
            Assert.True(reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"the {rid} analyzer is not a ReadyToRun image");
            Assert.Equal(machine, (ushort)reader.PEHeaders.CoffHeader.Machine);
            Assert.Equal(
                ilReader.GetMetadataReader().GetAssemblyDefinition().GetAssemblyName().FullName,
                reader.GetMetadataReader().GetAssemblyDefinition().GetAssemblyName().FullName);
        }

        Assert.Equal(
            ReadEntry(archive, "analyzers/dotnet/cs/Killswitch.Analyzers.CodeFixes.dll"),
            ReadEntry(archive, $"precompiled-analyzers/{rid}/Killswitch.Analyzers.CodeFixes.dll"));
    }

    [Fact]
    public void Build_DotnetBuild_CompilesWithThePrecompiledAnalyzersAndFindsWhatTheILOnesFind()
    {
        var consumer = ConsumerRepository.Create(_fixture, "precompiled");
        var package = Path.Combine(_fixture.Packages, "killswitch.build", _fixture.Version.ToLowerInvariant());

        var precompiled = consumer.Build("--no-incremental");
        var il = consumer.Build("--no-incremental", "-p:KillswitchPrecompiledAnalyzers=false");

        Assert.True(precompiled.ExitCode == 0, precompiled.Log);
        Assert.True(il.ExitCode == 0, il.Log);
        Assert.Equal(AnalyzerPair(Path.Combine(package, "precompiled-analyzers", RuntimeInformation.RuntimeIdentifier)), precompiled.KillswitchAnalyzers);
        Assert.Equal(AnalyzerPair(Path.Combine(package, "analyzers", "dotnet", "cs")), il.KillswitchAnalyzers);
        Assert.Equal(
            [(consumer.ProgramFile, ConsumerRepository.UnguardedEndpointLine), (consumer.BillingFile, ConsumerRepository.NewMethodLine)],
            precompiled.WithCode("KS1001").Select(d => (d.File, d.Line)).OrderBy(d => d.File, StringComparer.Ordinal));
        Assert.Equal(Findings(il), Findings(precompiled));
        Assert.DoesNotContain("CS8034", precompiled.Log + il.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void Compiler_PrecompiledAnalyzers_RunWithoutJitCompilingTheirOwnMethods()
    {
        var consumer = ConsumerRepository.Create(_fixture, "jit");
        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, build.Log);
        var commandLine = build.CompilerCommandLine;
        var compiler = commandLine[..commandLine.IndexOf(' ', StringComparison.Ordinal)];
        var arguments = commandLine[(compiler.Length + 1)..];
        var precompiledDirectory = Path.GetDirectoryName(build.KillswitchAnalyzers[0])!;
        var ilDirectory = Path.Combine(_fixture.Packages, "killswitch.build", _fixture.Version.ToLowerInvariant(), "analyzers", "dotnet", "cs");

        // The build's own compiler command line, run again with the runtime listing every method it JIT-compiles.
        var precompiled = JitCompiledKillswitchMethods(consumer, compiler, arguments);
        var il = JitCompiledKillswitchMethods(consumer, compiler, arguments.Replace(precompiledDirectory, ilDirectory, StringComparison.Ordinal));

        Assert.True(il.Count > 50, "the IL analyzers' methods are JIT-compiled as they are first called: " + il.Count);
        Assert.Empty(precompiled);
    }

    private static string[] AnalyzerPair(string directory) =>
        [Path.Combine(directory, "Killswitch.Analyzers.CodeFixes.dll"), Path.Combine(directory, "Killswitch.Analyzers.dll")];

    private static List<string> Findings(BuildOutcome outcome) =>
        outcome.Diagnostics.Where(d => d.Code.StartsWith("KS", StringComparison.Ordinal))
            .Select(d => $"{d.File}:{d.Line}:{d.Column} {d.Level} {d.Code}: {d.Message}")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Killswitch's own methods that the runtime JIT-compiled as they were first called (Tier0, or MinOpts for a Debug
    /// build), i.e. without precompiled code to start from; Tier1 recompilations of hot methods do not count.
    /// </summary>
    private List<string> JitCompiledKillswitchMethods(ConsumerRepository consumer, string compiler, string arguments)
    {
        var name = Path.Combine(_fixture.Root, "csc-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(name + ".rsp", arguments);
        var environment = new Dictionary<string, string?> { ["DOTNET_JitStdOutFile"] = name + ".jit", ["DOTNET_JitDisasmSummary"] = "1" };

        var result = PackedKillswitchFixture.Dotnet(consumer.ProjectDirectory, environment, Path.ChangeExtension(compiler, ".dll"), "@" + name + ".rsp");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.DoesNotContain("CS8034", result.All, StringComparison.Ordinal);
        return File.ReadLines(name + ".jit")
            .Where(l => l.Contains(": JIT compiled Killswitch.", StringComparison.Ordinal))
            .Where(l => !l.Contains("Tier1", StringComparison.Ordinal))
            .ToList();
    }

    private static byte[] ReadEntry(ZipArchive archive, string name)
    {
        var entry = archive.GetEntry(name);
        Assert.True(entry is not null, $"the package has no {name}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
