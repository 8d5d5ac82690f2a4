using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Benchmarks.Profiling;

/// <summary>
/// Replays the compiler command line of a real build in-process (sources, references, analyzer configs, additional
/// files, source generators) and runs the chosen analyzers over it: Killswitch's (any analyzer whose assembly name
/// starts with "Killswitch") and, with --ca1416, CA1416's PlatformCompatibilityAnalyzer for comparison. Reports the
/// driver's own per-analyzer execution time (median over runs) and, from one extra wrapped run, the count and time
/// of every callback each analyzer registered.
/// </summary>
internal static class AnalyzerProfiler
{
    private const string PlatformCompatibilityAnalyzer = "Microsoft.NetCore.Analyzers.InteropServices.PlatformCompatibilityAnalyzer";

    public static async Task<int> RunAsync(string rspPath, string? baseDirectory, IReadOnlyList<string> extraAnalyzers, bool ca1416, int runs, int compileRuns)
    {
        var arguments = ReadCommandLine(rspPath);
        var baseDir = Path.GetFullPath(baseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(rspPath))!);
        var parsed = CSharpCommandLineParser.Default.Parse(arguments, baseDir, sdkDirectory: null);
        foreach (var error in parsed.Errors.Where(x => x.Severity == DiagnosticSeverity.Error))
        {
            Console.Error.WriteLine($"command line: {error}");
        }

        var loader = new Loader();
        var analyzerReferences = parsed.AnalyzerReferences
            .Select(x => x.FilePath)
            .Concat(extraAnalyzers.Select(Path.GetFullPath))
            .Distinct(StringComparer.Ordinal)
            .Select(path => new AnalyzerFileReference(path, loader))
            .ToList();

        var sw = Stopwatch.StartNew();
        var trees = parsed.SourceFiles
            .AsParallel().AsOrdered()
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.OpenRead(f.Path)), parsed.ParseOptions, f.Path))
            .ToList();
        var references = parsed.MetadataReferences
            .Select(r => (MetadataReference)MetadataReference.CreateFromFile(r.Reference, r.Properties))
            .ToList();
        var configs = parsed.AnalyzerConfigPaths
            .Select(p => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(p)), p))
            .ToList();
        var configSet = AnalyzerConfigSet.Create(configs);
        var additionalTexts = parsed.AdditionalFiles.Select(f => (AdditionalText)new FileText(f.Path)).ToImmutableArray();
        var optionsProvider = new ConfigOptionsProvider(configSet, trees, additionalTexts);
        var compilationOptions = parsed.CompilationOptions.WithSyntaxTreeOptionsProvider(new TreeOptionsProvider(configSet, trees));
        var compilation = CSharpCompilation.Create(parsed.CompilationName, trees, references, compilationOptions);

        var generators = analyzerReferences.SelectMany(r => r.GetGenerators(LanguageNames.CSharp)).ToImmutableArray();
        var driver = CSharpGeneratorDriver.Create(generators, additionalTexts, (CSharpParseOptions)parsed.ParseOptions, optionsProvider);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var withGenerated, out _);
        compilation = (CSharpCompilation)withGenerated;
        optionsProvider = new ConfigOptionsProvider(configSet, compilation.SyntaxTrees, additionalTexts);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Loaded {trees.Count} files ({trees.Sum(t => t.GetText().Lines.Count)} lines), {references.Count} references, {generators.Length} generators, {additionalTexts.Length} additional files in {sw.ElapsedMilliseconds} ms."));

        var all = analyzerReferences.SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp)).ToList();
        var chosen = all.Where(a => a.GetType().Assembly.GetName().Name!.StartsWith("Killswitch", StringComparison.Ordinal)).ToList();
        if (ca1416)
        {
            chosen.AddRange(all.Where(a => a.GetType().FullName == PlatformCompatibilityAnalyzer));
        }

        if (chosen.Count == 0)
        {
            Console.Error.WriteLine("No analyzer to profile: the command line has no Killswitch analyzer (pass --analyzer path/to/Killswitch.Analyzers.dll) and --ca1416 was not given.");
            return 1;
        }

        var analyzerOptions = new AnalyzerOptions(additionalTexts, optionsProvider);

        // The compiler alone, for scale: binding and flow-analysis diagnostics of every method, no emit.
        var compileTimes = new List<double>();
        for (var i = 0; i < compileRuns; i++)
        {
            sw.Restart();
            _ = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees).GetDiagnostics();
            compileTimes.Add(sw.Elapsed.TotalMilliseconds);
        }

        if (compileRuns > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compiler diagnostics without analyzers (fresh compilation, no emit): median {Median(compileTimes):F0} ms of {compileRuns} runs."));
        }

        Console.WriteLine();

        var times = chosen.ToDictionary(a => a, _ => new List<double>());
        var walls = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var fresh = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees);
            var withAnalyzers = fresh.WithAnalyzers(
                [.. chosen],
                new CompilationWithAnalyzersOptions(analyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
            sw.Restart();
            var result = await withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).ConfigureAwait(false);
            var diagnostics = result.GetAllDiagnostics();
            walls.Add(sw.Elapsed.TotalMilliseconds);
            if (i == 0 && Environment.GetEnvironmentVariable("KILLSWITCH_PROFILE_DIAGNOSTICS") is { Length: > 0 } dump)
            {
                // For comparing two analyzer builds on the same input: one line per diagnostic, sorted.
                File.WriteAllLines(dump, diagnostics
                    .Where(d => d.Id.StartsWith("KS", StringComparison.Ordinal))
                    .Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage(CultureInfo.InvariantCulture)}"))
                    .Order(StringComparer.Ordinal));
            }

            foreach (var analyzer in chosen)
            {
                var telemetry = result.AnalyzerTelemetryInfo[analyzer];
                times[analyzer].Add(telemetry.ExecutionTime.TotalMilliseconds);
                if (i == 0)
                {
                    var ids = analyzer.SupportedDiagnostics.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{Name(analyzer)}: {diagnostics.Count(d => ids.Contains(d.Id))} diagnostics; registered actions: {Describe(telemetry)}"));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compiler + chosen analyzers, wall time: median {Median(walls):F0} ms"));
        Console.WriteLine("| analyzer | execution time, median (ms) | runs (ms) |");
        Console.WriteLine("| --- | ---: | --- |");
        foreach (var (analyzer, list) in times)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {Name(analyzer)} | {Median(list):F0} | {string.Join(", ", list.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))} |"));
        }

        // One wrapped run: where each analyzer's time goes, callback by callback.
        var profiles = chosen.Select(a => new ProfilingAnalyzer(a, new CallbackProfile())).ToList();
        var wrapped = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees).WithAnalyzers(
            [.. profiles],
            new CompilationWithAnalyzersOptions(analyzerOptions, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        _ = await wrapped.GetAllDiagnosticsAsync().ConfigureAwait(false);
        foreach (var profile in profiles)
        {
            Console.WriteLine();
            var entries = profile.Profile.Entries.ToList();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Callbacks of {Name(profile.Inner)}: {entries.Sum(x => x.Time.TotalMilliseconds):F0} ms in all, {entries.Sum(x => x.Cpu.TotalMilliseconds):F0} ms of thread CPU (one sequential run; nested callbacks counted on their own line):"));
            Console.WriteLine("| callback | calls | total (ms) | mean (us) | thread CPU (ms) | CPU mean (us) |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (callback, count, time, cpu) in entries.OrderByDescending(x => x.Cpu).ThenByDescending(x => x.Time))
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {callback} | {count} | {time.TotalMilliseconds:F1} | {(count == 0 ? 0 : time.TotalMicroseconds / count):F1} | {cpu.TotalMilliseconds:F1} | {(count == 0 ? 0 : cpu.TotalMicroseconds / count):F1} |"));
            }
        }

        return 0;
    }

    /// <summary>Reads a csc command line as logged by MSBuild (tool path first) or as a response file.</summary>
    internal static List<string> ReadCommandLine(string path)
    {
        var arguments = CommandLineParser.SplitCommandLineIntoArguments(File.ReadAllText(path).Trim(), removeHashComments: false).ToList();
        var first = arguments.FindIndex(a => a.StartsWith('/') && !File.Exists(a) || a.StartsWith('-'));
        return first < 0 ? arguments : arguments.Skip(first).ToList();
    }

    private static string Name(DiagnosticAnalyzer analyzer) =>
        $"{analyzer.GetType().Name} ({string.Join(", ", analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal))})";

    private static string Describe(AnalyzerTelemetryInfo t)
    {
        var parts = new (string Name, int Count)[]
        {
            ("CompilationStart", t.CompilationStartActionsCount), ("CompilationEnd", t.CompilationEndActionsCount),
            ("Compilation", t.CompilationActionsCount), ("SyntaxTree", t.SyntaxTreeActionsCount),
            ("AdditionalFile", t.AdditionalFileActionsCount), ("SemanticModel", t.SemanticModelActionsCount),
            ("Symbol", t.SymbolActionsCount), ("SymbolStart", t.SymbolStartActionsCount), ("SymbolEnd", t.SymbolEndActionsCount),
            ("SyntaxNode", t.SyntaxNodeActionsCount), ("CodeBlockStart", t.CodeBlockStartActionsCount),
            ("CodeBlock", t.CodeBlockActionsCount), ("CodeBlockEnd", t.CodeBlockEndActionsCount),
            ("OperationBlockStart", t.OperationBlockStartActionsCount), ("OperationBlock", t.OperationBlockActionsCount),
            ("OperationBlockEnd", t.OperationBlockEndActionsCount), ("Operation", t.OperationActionsCount),
        };
        return string.Join(", ", parts.Where(p => p.Count > 0).Select(p => $"{p.Name} {p.Count}"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }

    /// <summary>What csc gives analyzers: .editorconfig and global config options per file, global options otherwise.</summary>
    private sealed class ConfigOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly Dictionary<string, AnalyzerConfigOptions> _byPath = new(StringComparer.Ordinal);

        public ConfigOptionsProvider(AnalyzerConfigSet set, IEnumerable<SyntaxTree> trees, IEnumerable<AdditionalText> additionalTexts)
        {
            GlobalOptions = new Options(set.GlobalConfigOptions.AnalyzerOptions);
            foreach (var path in trees.Select(t => t.FilePath).Concat(additionalTexts.Select(t => t.Path)).Distinct(StringComparer.Ordinal))
            {
                _byPath[path] = new Options(set.GetOptionsForSourcePath(path).AnalyzerOptions);
            }
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _byPath.GetValueOrDefault(tree.FilePath, GlobalOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _byPath.GetValueOrDefault(textFile.Path, GlobalOptions);

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);

            public override IEnumerable<string> Keys => values.Keys;
        }
    }

    /// <summary>Diagnostic severities from .editorconfig and global configs (dotnet_diagnostic.ID.severity), as csc applies them.</summary>
    private sealed class TreeOptionsProvider : SyntaxTreeOptionsProvider
    {
        private readonly Dictionary<SyntaxTree, AnalyzerConfigOptionsResult> _results = [];
        private readonly AnalyzerConfigOptionsResult _global;

        public TreeOptionsProvider(AnalyzerConfigSet set, IEnumerable<SyntaxTree> trees)
        {
            _global = set.GlobalConfigOptions;
            foreach (var tree in trees)
            {
                _results[tree] = set.GetOptionsForSourcePath(tree.FilePath);
            }
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) =>
            _results.TryGetValue(tree, out var r) && r.AnalyzerOptions.TryGetValue("generated_code", out var value)
                ? string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated
                : GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return _results.TryGetValue(tree, out var r) && r.TreeOptions.TryGetValue(diagnosticId, out severity);
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _global.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    /// <summary>Loads analyzer assemblies into the default context, resolving their dependencies next to them.</summary>
    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

        public Loader() => AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            foreach (var directory in _directories)
            {
                var candidate = Path.Combine(directory, name.Name + ".dll");
                if (File.Exists(candidate))
                {
                    return context.LoadFromAssemblyPath(candidate);
                }
            }

            return null;
        };

        public void AddDependencyLocation(string fullPath) => _directories.Add(Path.GetDirectoryName(fullPath)!);

        public Assembly LoadFromPath(string fullPath)
        {
            AddDependencyLocation(fullPath);
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
        }
    }
}
