using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

// A profiling wrapper, not an analyzer of its own (no [DiagnosticAnalyzer], RS1001): the inner analyzer configures
// concurrency and generated code (RS1025, RS1026) and registers the nested actions (RS1012); wrapping a nested
// start context needs its public constructor, obsolete for analyzers but the only way in (CS0618).
#pragma warning disable RS1001, RS1012, RS1025, RS1026, CS0618

namespace Killswitch.Analyzers.Benchmarks.Profiling;

/// <summary>
/// Count, time and thread CPU time of every callback an analyzer registered, keyed by kind (and syntax/operation kinds).
/// Thread CPU time (Linux: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>) leaves out the time the thread waited for a
/// core, so it is the steadier figure on a shared machine; elsewhere it reads zero.
/// </summary>
internal sealed class CallbackProfile
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public IEnumerable<(string Callback, long Count, TimeSpan Time, TimeSpan Cpu)> Entries =>
        _entries.Select(x => (x.Key, x.Value.Count, Stopwatch.GetElapsedTime(0, x.Value.Ticks), TimeSpan.FromTicks(x.Value.CpuNanoseconds / 100)));

    public Action<T> Wrap<T>(string key, Action<T> action)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        return context =>
        {
            var start = Stopwatch.GetTimestamp();
            var cpuStart = ThreadCpu.Nanoseconds();
            try
            {
                action(context);
            }
            finally
            {
                entry.Add(Stopwatch.GetTimestamp() - start, ThreadCpu.Nanoseconds() - cpuStart);
            }
        };
    }

    private sealed class Entry
    {
        private long _count;
        private long _ticks;
        private long _cpuNanoseconds;

        public long Count => Interlocked.Read(ref _count);

        public long Ticks => Interlocked.Read(ref _ticks);

        public long CpuNanoseconds => Interlocked.Read(ref _cpuNanoseconds);

        public void Add(long ticks, long cpuNanoseconds)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _ticks, ticks);
            Interlocked.Add(ref _cpuNanoseconds, cpuNanoseconds);
        }
    }
}

/// <summary>The calling thread's CPU time in nanoseconds (Linux), or 0.</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Nanoseconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out var time) == 0 ? (time.Seconds * 1_000_000_000) + time.Nanoseconds : 0;

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

/// <summary>Runs an analyzer with every registered callback wrapped in a timer (attribution only: the wrapping
/// contexts cannot use the driver's shared control-flow-graph cache, so totals come from unwrapped runs).</summary>
internal sealed class ProfilingAnalyzer(DiagnosticAnalyzer inner, CallbackProfile profile) : DiagnosticAnalyzer
{
    public DiagnosticAnalyzer Inner { get; } = inner;

    public CallbackProfile Profile { get; } = profile;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Inner.SupportedDiagnostics;

    public override void Initialize(AnalysisContext context) => Inner.Initialize(new Root(context, Profile));

    private static string Kinds<T>(ImmutableArray<T> kinds) => string.Join(",", kinds.Select(x => x!.ToString()).Order(StringComparer.Ordinal));

    private sealed class Root(AnalysisContext inner, CallbackProfile p) : AnalysisContext
    {
        public override void EnableConcurrentExecution() => inner.EnableConcurrentExecution();

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => inner.ConfigureGeneratedCodeAnalysis(analysisMode);

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) =>
            inner.RegisterCompilationStartAction(p.Wrap<CompilationStartAnalysisContext>("CompilationStart", c => action(new CompilationStart(c, p))));

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) =>
            inner.RegisterCompilationAction(p.Wrap("Compilation", action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) =>
            inner.RegisterSemanticModelAction(p.Wrap("SemanticModel", action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) =>
            inner.RegisterSymbolAction(p.Wrap($"Symbol[{Kinds(symbolKinds)}]", action), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            inner.RegisterSymbolStartAction(p.Wrap<SymbolStartAnalysisContext>($"SymbolStart[{symbolKind}]", c => action(new SymbolStart(c, p))), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            inner.RegisterCodeBlockStartAction<TLanguageKindEnum>(p.Wrap<CodeBlockStartAnalysisContext<TLanguageKindEnum>>("CodeBlockStart", c => action(new CodeBlockStart<TLanguageKindEnum>(c, p))));

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            inner.RegisterCodeBlockAction(p.Wrap("CodeBlock", action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) =>
            inner.RegisterSyntaxTreeAction(p.Wrap("SyntaxTree", action));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) =>
            inner.RegisterAdditionalFileAction(p.Wrap("AdditionalFile", action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            inner.RegisterSyntaxNodeAction(p.Wrap($"SyntaxNode[{Kinds(syntaxKinds)}]", action), syntaxKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            inner.RegisterOperationBlockStartAction(p.Wrap<OperationBlockStartAnalysisContext>("OperationBlockStart", c => action(new OperationBlockStart(c, p))));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) =>
            inner.RegisterOperationBlockAction(p.Wrap("OperationBlock", action));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            inner.RegisterOperationAction(p.Wrap($"Operation[{Kinds(operationKinds)}]", action), operationKinds);
    }

    private sealed class CompilationStart(CompilationStartAnalysisContext inner, CallbackProfile p)
        : CompilationStartAnalysisContext(inner.Compilation, inner.Options, inner.CancellationToken)
    {
        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) =>
            inner.RegisterCompilationEndAction(p.Wrap("CompilationEnd", action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) =>
            inner.RegisterSemanticModelAction(p.Wrap("SemanticModel", action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) =>
            inner.RegisterSymbolAction(p.Wrap($"Symbol[{Kinds(symbolKinds)}]", action), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            inner.RegisterSymbolStartAction(p.Wrap<SymbolStartAnalysisContext>($"SymbolStart[{symbolKind}]", c => action(new SymbolStart(c, p))), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            inner.RegisterCodeBlockStartAction<TLanguageKindEnum>(p.Wrap<CodeBlockStartAnalysisContext<TLanguageKindEnum>>("CodeBlockStart", c => action(new CodeBlockStart<TLanguageKindEnum>(c, p))));

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            inner.RegisterCodeBlockAction(p.Wrap("CodeBlock", action));

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            inner.RegisterOperationBlockStartAction(p.Wrap<OperationBlockStartAnalysisContext>("OperationBlockStart", c => action(new OperationBlockStart(c, p))));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) =>
            inner.RegisterOperationBlockAction(p.Wrap("OperationBlock", action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) =>
            inner.RegisterSyntaxTreeAction(p.Wrap("SyntaxTree", action));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) =>
            inner.RegisterAdditionalFileAction(p.Wrap("AdditionalFile", action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            inner.RegisterSyntaxNodeAction(p.Wrap($"SyntaxNode[{Kinds(syntaxKinds)}]", action), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            inner.RegisterOperationAction(p.Wrap($"Operation[{Kinds(operationKinds)}]", action), operationKinds);
    }

    private sealed class SymbolStart(SymbolStartAnalysisContext inner, CallbackProfile p)
        : SymbolStartAnalysisContext(inner.Symbol, inner.Compilation, inner.Options, inner.CancellationToken)
    {
        public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action) =>
            inner.RegisterSymbolEndAction(p.Wrap("SymbolStart>SymbolEnd", action));

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            inner.RegisterCodeBlockStartAction<TLanguageKindEnum>(p.Wrap<CodeBlockStartAnalysisContext<TLanguageKindEnum>>("SymbolStart>CodeBlockStart", c => action(new CodeBlockStart<TLanguageKindEnum>(c, p))));

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            inner.RegisterCodeBlockAction(p.Wrap("SymbolStart>CodeBlock", action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            inner.RegisterSyntaxNodeAction(p.Wrap($"SymbolStart>SyntaxNode[{Kinds(syntaxKinds)}]", action), syntaxKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            inner.RegisterOperationBlockStartAction(p.Wrap<OperationBlockStartAnalysisContext>("SymbolStart>OperationBlockStart", c => action(new OperationBlockStart(c, p))));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) =>
            inner.RegisterOperationBlockAction(p.Wrap("SymbolStart>OperationBlock", action));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            inner.RegisterOperationAction(p.Wrap($"SymbolStart>Operation[{Kinds(operationKinds)}]", action), operationKinds);
    }

    private sealed class OperationBlockStart(OperationBlockStartAnalysisContext inner, CallbackProfile p)
        : OperationBlockStartAnalysisContext(inner.OperationBlocks, inner.OwningSymbol, inner.Compilation, inner.Options, inner.CancellationToken)
    {
        public override void RegisterOperationBlockEndAction(Action<OperationBlockAnalysisContext> action) =>
            inner.RegisterOperationBlockEndAction(p.Wrap("OperationBlockStart>OperationBlockEnd", action));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            inner.RegisterOperationAction(p.Wrap($"OperationBlockStart>Operation[{Kinds(operationKinds)}]", action), operationKinds);
    }

    private sealed class CodeBlockStart<TLanguageKindEnum>(CodeBlockStartAnalysisContext<TLanguageKindEnum> inner, CallbackProfile p)
        : CodeBlockStartAnalysisContext<TLanguageKindEnum>(inner.CodeBlock, inner.OwningSymbol, inner.SemanticModel, inner.Options, inner.CancellationToken)
        where TLanguageKindEnum : struct
    {
        public override void RegisterCodeBlockEndAction(Action<CodeBlockAnalysisContext> action) =>
            inner.RegisterCodeBlockEndAction(p.Wrap("CodeBlockStart>CodeBlockEnd", action));

        public override void RegisterSyntaxNodeAction(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            inner.RegisterSyntaxNodeAction(p.Wrap($"CodeBlockStart>SyntaxNode[{Kinds(syntaxKinds)}]", action), syntaxKinds);
    }
}
