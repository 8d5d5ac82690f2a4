using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;
using Killswitch.Analyzers.Rules.Flags;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Tests.CodeFixes;

/// <summary>
/// The acceptance criterion: the stale-flag fix applied to samples/ code leaves a project that builds and
/// whose tests pass. A copy of samples/FlagCleanup (+ .Tests) with the repository's build files gets the KS1006 Fix
/// All (solution scope, keep what production serves), then a real <c>dotnet build</c> (warnings are errors there) and
/// <c>dotnet test</c>.
/// </summary>
public sealed class StaleFlagSampleTests : IDisposable
{
    private const string ExpiredFlag = "express-checkout";
    // A hang guard, not a speed check: a cold build of the copy took over 4 minutes once with the machine at load 40.
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(12);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "killswitch-flagcleanup-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task FixAll_FlagCleanupSample_BuildsWithoutKS1006AndItsTestsPass()
    {
        var sample = CopySample();

        var fixedDocuments = await ApplyFixAllAsync(sample);

        Assert.Equal(2, fixedDocuments);
        var mentions = Directory.EnumerateFiles(Path.Combine(_root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains(ExpiredFlag, StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(_root, file));
        Assert.Empty(mentions);

        var tests = Path.Combine(_root, "samples", "FlagCleanup.Tests");
        var (buildExit, buildOutput) = await RunAsync(tests, "build", "-nodeReuse:false", "-p:KillswitchToday=" + DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(buildExit == 0, "dotnet build of the fixed sample failed:\n" + buildOutput);
        Assert.DoesNotContain("KS1006", buildOutput, StringComparison.Ordinal);

        var (testExit, testOutput) = await RunAsync(tests, "test", "--no-build");
        Assert.True(testExit == 0, "dotnet test of the fixed sample failed:\n" + testOutput);
        Assert.Contains("Passed!", testOutput, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Copies the sample and the repository's build files, keeping their relative layout; the analyzer comes
    /// from the DLL next to this test assembly instead of a project reference to its sources.</summary>
    private string CopySample()
    {
        var repo = FindRepositoryRoot();
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", ".editorconfig" })
        {
            CopyFile(Path.Combine(repo, file), Path.Combine(_root, file));
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(repo, "build"), "*.targets"))
        {
            CopyFile(file, Path.Combine(_root, "build", Path.GetFileName(file)));
        }

        foreach (var project in new[] { "FlagCleanup", "FlagCleanup.Tests" })
        {
            var from = Path.Combine(repo, "samples", project);
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                if (!relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    CopyFile(file, Path.Combine(_root, "samples", project, relative));
                }
            }
        }

        var sample = Path.Combine(_root, "samples", "FlagCleanup");
        var csproj = Path.Combine(sample, "FlagCleanup.csproj");
        const string reference = """<ProjectReference Include="../../src/Killswitch.Analyzers/Killswitch.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />""";
        var text = File.ReadAllText(csproj);
        Assert.Contains(reference, text, StringComparison.Ordinal);
        File.WriteAllText(csproj, text.Replace(reference, $"""<Analyzer Include="{typeof(FlagManifestAnalyzer).Assembly.Location}" />""", StringComparison.Ordinal));
        return sample;
    }

    /// <summary>Runs the analyzer over the sample's sources and manifest, applies the KS1006 Fix All and writes the
    /// changed documents back; returns how many documents changed.</summary>
    private static async Task<int> ApplyFixAllAsync(string sample)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var info = ProjectInfo.Create(projectId, VersionStamp.Create(), "FlagCleanup", "FlagCleanup", LanguageNames.CSharp,
                filePath: Path.Combine(sample, "FlagCleanup.csproj"),
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: ReferenceAssemblies())
            .WithDocuments(Directory.EnumerateFiles(sample, "*.cs", SearchOption.AllDirectories)
                .Where(file => !file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Select(file => Document(projectId, file, File.ReadAllText(file)))
                .Append(Document(projectId, Path.Combine(sample, "GlobalUsings.g.cs"), ImplicitUsings)))
            .WithAdditionalDocuments(new[] { Document(projectId, Path.Combine(sample, "flags.json"), File.ReadAllText(Path.Combine(sample, "flags.json"))) });
        var solution = workspace.CurrentSolution.AddProject(info);
        var project = solution.GetProject(projectId)!;

        var compilation = (await project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = (await compilation
                .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new FlagManifestAnalyzer()), project.AnalyzerOptions)
                .GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id == RuleIdentifiers.StaleFlag)
            .ToImmutableArray();
        Assert.Equal(3, diagnostics.Length);

        var sut = new RemoveStaleFlagCodeFixProvider();
        var first = project.GetDocument(diagnostics[0].Location.SourceTree!)!;
        var context = new FixAllContext(first, sut, FixAllScope.Solution, RemoveStaleFlagCodeFixProvider.KeepServedKey,
            new[] { RuleIdentifiers.StaleFlag }, new Diagnostics(diagnostics), CancellationToken.None);
        var action = await sut.GetFixAllProvider()!.GetFixAsync(context);
        Assert.NotNull(action);
        var fixedSolution = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution;

        var changed = fixedSolution.GetChanges(solution).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()).ToList();
        foreach (var id in changed)
        {
            var document = fixedSolution.GetDocument(id)!;
            await File.WriteAllTextAsync(document.FilePath!, (await document.GetTextAsync()).ToString());
        }

        return changed.Count;
    }

    private static DocumentInfo Document(ProjectId project, string path, string text) =>
        DocumentInfo.Create(DocumentId.CreateNewId(project), Path.GetFileName(path),
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text, Encoding.UTF8), VersionStamp.Create(), path)), filePath: path);

    /// <summary>What Microsoft.NET.Sdk's ImplicitUsings adds to a class library.</summary>
    private const string ImplicitUsings = """
        // <auto-generated/>
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>The net10.0 reference assemblies of the SDK running this test (packs/Microsoft.NETCore.App.Ref/10.*).</summary>
    private static IEnumerable<MetadataReference> ReferenceAssemblies()
    {
        var dotnet = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location)))!;
        var pack = Directory.EnumerateDirectories(Path.Combine(Path.GetDirectoryName(dotnet)!, "packs", "Microsoft.NETCore.App.Ref"), "10.*")
            .OrderBy(directory => Version.TryParse(Path.GetFileName(directory).Split('-')[0], out var version) ? version : new Version())
            .LastOrDefault() ?? throw new InvalidOperationException("No Microsoft.NETCore.App.Ref 10.* pack next to " + dotnet);
        return Directory.EnumerateFiles(Path.Combine(pack, "ref", "net10.0"), "*.dll").Select(file => MetadataReference.CreateFromFile(file));
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Toolkit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Toolkit.sln not found above " + AppContext.BaseDirectory);
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(arguments[0]);
        start.ArgumentList.Add("-nologo");
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // The MSBuild of the `dotnet test` running this must not leak into the child build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(' ', arguments)}' did not finish within {ProcessTimeout}:\n{output}");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private sealed class Diagnostics(ImmutableArray<Diagnostic> all) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return all.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(all);
    }
}
