using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Killswitch.Analyzers.Configuration;
using Killswitch.Analyzers.Guards;
using Killswitch.Analyzers.Manifest;
using Killswitch.Analyzers.NewCode;
using Killswitch.Flags;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Rules.Flags;

/// <summary>
/// The flag manifest in the build: checks every flag evaluation against the manifest (KS1002-KS1007, KS1010),
/// comparisons and switches over flag values (KS1005, KS1008), and the manifest itself (KS0004, KS0005, KS1009).
/// Each rule lives in its own file; this class resolves the manifest once per compilation and dispatches.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FlagManifestAnalyzer : DiagnosticAnalyzer
{
    /// <summary>MSBuild property (via build_property) fixing "today" for KS1006 expiry checks; yyyy-MM-dd.</summary>
    internal const string TodayProperty = "build_property.KillswitchToday";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.InvalidManifest,
        Descriptors.MissingManifest,
        Descriptors.UnknownFlagKey,
        Descriptors.FlagTypeMismatch,
        Descriptors.DefaultValueMismatch,
        Descriptors.UnknownVariantValue,
        Descriptors.StaleFlag,
        Descriptors.NonConstantFlagKey,
        Descriptors.UnhandledVariant,
        Descriptors.UnusedFlag,
        Descriptors.SingleVariantFlag);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();

        // Generated code is skipped here, not by the driver: the driver's test of each reported location walks every
        // token of the tree the first time, charged to the reporting analyzer (a fifth of the flag rules' time for their
        // 445 findings on the generated project, docs/performance.md). The tree callback's IsGeneratedCode is the driver's
        // answer for the file; GeneratedCodeFilter adds [GeneratedCode] on a declaration and #line hidden, as KS1001 does.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var globalOptions = context.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
        var api = new FlagApi(KillswitchOptions.Read(globalOptions, context.Compilation));
        var source = ManifestSource.Read(context.Options, context.CancellationToken);
        var calls = new FlagCalls(new FlagCallFinder(api), new GeneratedCodeFilter(context.Compilation));
        if (source is null)
        {
            var missing = new MissingManifestCounter(api);
            context.RegisterSemanticModelAction(tree => calls.Dispatch(tree, missing.OnInvocation));
            context.RegisterCompilationEndAction(missing.OnCompilationEnd);
            return;
        }

        // A chaos test project (it references Killswitch.Xunit's [FlagVariants]) evaluates no flag: KS2001 asks for a chaos
        // test per flag there instead of KS1009 reporting every flag as unused.
        var isChaosTestProject = context.Compilation.GetTypeByMetadataName(Testing.UncoveredFlagAnalyzer.FlagVariantsAttributeName) is not null;
        var state = new State(source, api, Today(globalOptions), isChaosTestProject);
        // Comparisons and switches over a string flag's value (KS1005, KS1008) are found from the flag's evaluation, not
        // by a callback per comparison and switch of the compilation (thousands, each paying the driver's overhead).
        context.RegisterSemanticModelAction(tree => calls.Dispatch(tree, state.OnInvocation));
        context.RegisterCompilationEndAction(state.OnCompilationEnd);
    }

    /// <summary>
    /// Hands the flag evaluations of each tree, outside generated code, to a rule set: one callback per tree, which
    /// reaches the tree's flag calls through the flag method names in its text (<see cref="FlagCallFinder"/>), instead
    /// of an invocation callback for every call of the compilation. The operations are the ones the compiler's driver
    /// builds once for every analyzer.
    /// </summary>
    private sealed class FlagCalls
    {
        private readonly FlagCallFinder _finder;
        private readonly GeneratedCodeFilter _generatedCode;

        public FlagCalls(FlagCallFinder finder, GeneratedCodeFilter generatedCode)
        {
            _finder = finder;
            _generatedCode = generatedCode;
        }

        public void Dispatch(SemanticModelAnalysisContext context, Action<IInvocationOperation, FlagCallContext> handler)
        {
            if (context.IsGeneratedCode)
            {
                return;
            }

            var model = context.SemanticModel;
            var tree = new FlagCallContext(new TextSearch.Searchable(model.SyntaxTree.GetText(context.CancellationToken)), context.ReportDiagnostic);
            var mayHoldGeneratedCode = _generatedCode.MayHoldGeneratedCode(model.SyntaxTree, context.CancellationToken);
            _finder.ForEachFlagCall(model, tree.Text, invocation =>
            {
                if (!mayHoldGeneratedCode || !_generatedCode.IsGenerated(invocation.Syntax.GetLocation(), model, context.CancellationToken))
                {
                    handler(invocation, tree);
                }
            }, context.CancellationToken);
        }
    }

    /// <summary>The tree a flag call is in: its text, searched once per tree, and where to report.</summary>
    private sealed class FlagCallContext
    {
        public FlagCallContext(TextSearch.Searchable text, Action<Diagnostic> report)
        {
            Text = text;
            Report = report;
        }

        public TextSearch.Searchable Text { get; }

        public Action<Diagnostic> Report { get; }
    }

    /// <summary>KS0005: counts flag evaluations in a project without a manifest, to say so once, at the first of
    /// them (by file path and position, so the message does not depend on the order trees were analyzed in).</summary>
    private sealed class MissingManifestCounter
    {
        private readonly FlagApi _api;
        private readonly object _gate = new();
        private int _count;
        private IInvocationOperation? _first;

        public MissingManifestCounter(FlagApi api) => _api = api;

        public void OnInvocation(IInvocationOperation invocation, FlagCallContext tree)
        {
            if (_api.Classify(invocation.TargetMethod) == FlagEvaluationKind.None)
            {
                return;
            }

            lock (_gate)
            {
                _count++;
                if (_first is null || Precedes(invocation.Syntax, _first.Syntax))
                {
                    _first = invocation;
                }
            }
        }

        public void OnCompilationEnd(CompilationAnalysisContext context)
        {
            IInvocationOperation? first;
            int count;
            lock (_gate)
            {
                first = _first;
                count = _count;
            }

            if (first is null)
            {
                return;
            }

            var text = first.Syntax.ToString();
            text = text.Length > 60 ? text.Substring(0, 59) + "…" : text;
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.MissingManifest, first.Syntax.GetLocation(), count, text));
        }

        private static bool Precedes(SyntaxNode node, SyntaxNode other)
        {
            var byPath = string.CompareOrdinal(node.SyntaxTree.FilePath, other.SyntaxTree.FilePath);
            return byPath < 0 || (byPath == 0 && node.SpanStart < other.SpanStart);
        }
    }

    private static DateTime Today(AnalyzerConfigOptions options)
    {
        if (options.TryGetValue(TodayProperty, out var text)
            && DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var today))
        {
            return today;
        }

        // Killswitch.Build passes the build's date; the analyzer alone falls back to the clock.
        return DateTime.UtcNow.Date;
    }

    private sealed class State
    {
        /// <summary>How many locals a flag's value may pass through on its way to a comparison.</summary>
        private const int MaxLocalHops = 3;

        private readonly ManifestSource _source;
        private readonly FlagApi _api;
        private readonly DateTime _today;
        // Keys as values and a locked list of classes: dictionaries and bags of bytes or tuples are generic code no
        // precompiled image holds, which the runtime compiled in every build's compiler process (docs/performance.md).
        private readonly ConcurrentDictionary<string, string> _used = new(StringComparer.Ordinal);
        private readonly HashSet<string> _invalidKeys;
        private readonly List<DefaultSite> _defaults = new();
        private readonly bool _isChaosTestProject;

        public State(ManifestSource source, FlagApi api, DateTime today, bool isChaosTestProject)
        {
            _isChaosTestProject = isChaosTestProject;
            _invalidKeys = new HashSet<string>(source.Manifest.Diagnostics.Select(d => d.FlagKey).OfType<string>(), StringComparer.Ordinal);
            _source = source;
            _api = api;
            _today = today;
        }

        private FlagManifest Manifest => _source.Manifest;

        public void OnInvocation(IInvocationOperation invocation, FlagCallContext tree)
        {
            var report = tree.Report;
            var call = FlagCall.From(invocation, _api);
            if (call is null)
            {
                return;
            }

            if (call.Key is null)
            {
                report(Diagnostic.Create(Descriptors.NonConstantFlagKey, call.KeyArgument.Syntax.GetLocation(), call.MethodName));
                return;
            }

            if (call.ExpectedType == FlagType.String && Manifest.Find(call.Key) is { Type: FlagType.String } stringFlag)
            {
                CheckUses(stringFlag, invocation, tree, depth: 0);
            }

            if (!_used.ContainsKey(call.Key))
            {
                _used.TryAdd(call.Key, call.Key); // TryAdd takes a lock even for a key already there; ContainsKey does not
            }

            if (_invalidKeys.Contains(call.Key))
            {
                return; // the flag is defined but broken: KS0004 already says how, KS1002 would mislead
            }

            if (UnknownFlagKeyRule.Check(call, Manifest) is { } unknown)
            {
                report(unknown);
                return;
            }

            var flag = Manifest.Find(call.Key)!;
            if (FlagTypeRule.Check(call, flag) is { } mismatch)
            {
                report(mismatch);
            }
            else if (DefaultValueRule.CodeDefault(call) is { } codeDefault)
            {
                if (DefaultValueRule.Check(call, flag, codeDefault) is { } disagreement)
                {
                    report(disagreement);
                }
                else if (flag.DefaultValue is null)
                {
                    var site = new DefaultSite(call.Key, codeDefault, call.DefaultArgument!.Value.Syntax.GetLocation());
                    lock (_defaults)
                    {
                        _defaults.Add(site);
                    }
                }
            }

            if (StaleFlagRule.Check(call, flag, _today) is { } stale)
            {
                report(stale);
            }
        }

        /// <summary>
        /// The comparisons and switches over the value of a string flag's evaluation: the value as it is, awaited,
        /// through <c>ConfigureAwait</c>, <c>.Value</c> of evaluation details or a conversion, or held in a local
        /// initialised with it, or in a local initialised with that one (up to <see cref="MaxLocalHops"/> locals), which
        /// <see cref="VariantValueRule"/> checks.
        /// </summary>
        private static void CheckUses(FlagDefinition flag, IOperation value, FlagCallContext tree, int depth)
        {
            var report = tree.Report;
            while (value.Parent is { } parent)
            {
                switch (parent)
                {
                    case IConversionOperation or IParenthesizedOperation or IAwaitOperation:
                    case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured when configured.Instance == value:
                    case IPropertyReferenceOperation { Property.Name: "Value" } details when details.Instance == value:
                        value = parent;
                        continue;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary when IsString(value):
                        Report(report, VariantValueRule.CheckComparison(flag, binary.LeftOperand == value ? binary.RightOperand : binary.LeftOperand));
                        return;
                    case IIsPatternOperation pattern when pattern.Value == value && IsString(value):
                        foreach (var constant in pattern.Pattern.DescendantsAndSelf().OfType<IConstantPatternOperation>())
                        {
                            Report(report, VariantValueRule.CheckComparison(flag, constant.Value));
                        }

                        return;
                    case ISwitchOperation statement when statement.Value == value && IsString(value):
                        OnSwitch(flag, statement, report);
                        return;
                    case ISwitchExpressionOperation expression when expression.Value == value && IsString(value):
                        OnSwitchExpression(flag, expression, report);
                        return;
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { } local } declarator } when depth < MaxLocalHops
                        && declarator.Syntax is VariableDeclaratorSyntax && local.DeclaringSyntaxReferences.Length == 1 && declarator.SemanticModel is { } model:
                        // The local's reads, found in its scope (the block, switch, loop or using it is declared in)
                        // after its declaration, by a text search for its name; then as operations.
                        var scope = declarator.Parent!;
                        while (scope is not (IBlockOperation or ISwitchOperation or ILoopOperation or IUsingOperation) && scope.Parent is not null)
                        {
                            scope = scope.Parent;
                        }

                        foreach (var name in Reads(tree.Text, local.Name, scope.Syntax, declarator.Syntax.Span.End))
                        {
                            if (model.GetOperation(name) is ILocalReferenceOperation read && SymbolEqualityComparer.Default.Equals(read.Local, local))
                            {
                                CheckUses(flag, read, tree, depth + 1);
                            }
                        }

                        return;
                    default:
                        return;
                }
            }
        }

        private static bool IsString(IOperation value) => value.Type?.SpecialType == SpecialType.System_String;

        /// <summary>The identifier names spelling <paramref name="name"/> in <paramref name="scope"/> from <paramref name="from"/> on (<paramref name="text"/> is the tree's).</summary>
        private static IEnumerable<IdentifierNameSyntax> Reads(TextSearch.Searchable text, string name, SyntaxNode scope, int from)
        {
            if (text.MayHoldUnicodeEscape)
            {
                foreach (var node in scope.DescendantNodes())
                {
                    if (node is IdentifierNameSyntax identifier && identifier.SpanStart >= from && identifier.Identifier.ValueText == name)
                    {
                        yield return identifier;
                    }
                }

                yield break;
            }

            foreach (var identifier in text.IdentifierNames(scope, name, from))
            {
                yield return identifier;
            }
        }

        private static void OnSwitch(FlagDefinition flag, ISwitchOperation statement, Action<Diagnostic> report)
        {
            var labels = new List<IOperation>();
            var hasDefault = false;
            foreach (var clause in statement.Cases.SelectMany(c => c.Clauses))
            {
                switch (clause)
                {
                    case ISingleValueCaseClauseOperation single:
                        labels.Add(single.Value);
                        break;
                    case IPatternCaseClauseOperation { Pattern: IConstantPatternOperation constant, Guard: null }:
                        labels.Add(constant.Value);
                        break;
                    case IPatternCaseClauseOperation { Pattern: IDiscardPatternOperation }:
                    case IDefaultCaseClauseOperation:
                        hasDefault = true;
                        break;
                }
            }

            Report(report, VariantValueRule.CheckSwitch(flag, labels, hasDefault, statement.Syntax.GetFirstToken().GetLocation()));
        }

        private static void OnSwitchExpression(FlagDefinition flag, ISwitchExpressionOperation expression, Action<Diagnostic> report)
        {
            var labels = new List<IOperation>();
            var hasDefault = false;
            foreach (var arm in expression.Arms)
            {
                switch (arm.Pattern)
                {
                    case IConstantPatternOperation constant when arm.Guard is null:
                        labels.Add(constant.Value);
                        break;
                    case IDiscardPatternOperation:
                    case IDeclarationPatternOperation { MatchesNull: true }:
                        hasDefault = true;
                        break;
                }
            }

            var anchor = expression.Syntax is SwitchExpressionSyntax syntax
                ? syntax.SwitchKeyword.GetLocation()
                : expression.Syntax.GetLocation();
            Report(report, VariantValueRule.CheckSwitch(flag, labels, hasDefault, anchor));
        }

        public void OnCompilationEnd(CompilationAnalysisContext context)
        {
            foreach (var problem in Manifest.Diagnostics)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.InvalidManifest,
                    _source.LocationOf(problem.Location),
                    $"{ManifestSource.Describe(problem.Location)}: {problem.Message}"));
            }

            // Call sites that disagree on the default of a flag whose manifest leaves the default to the code.
            List<DefaultSite> defaults;
            lock (_defaults)
            {
                defaults = new List<DefaultSite>(_defaults);
            }

            foreach (var group in defaults.GroupBy(d => d.Key))
            {
                var ordered = group.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToList();
                var first = ordered[0];
                foreach (var other in ordered.Skip(1))
                {
                    if (!DefaultValueRule.SameValue(first.Value, other.Value))
                    {
                        context.ReportDiagnostic(DefaultValueRule.CrossSite(other.Key, other.Value, other.Location, first.Value, first.Location));
                    }
                }
            }

            if (_isChaosTestProject)
            {
                return;
            }

            var assembly = context.Compilation.AssemblyName ?? "this project";
            foreach (var flag in Manifest.Flags)
            {
                if (!_used.ContainsKey(flag.Key))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnusedFlag, _source.LocationOf(flag.Location), flag.Key, assembly));
                }
            }
        }

        private sealed class DefaultSite
        {
            public DefaultSite(string key, FlagValue value, Location location)
            {
                Key = key;
                Value = value;
                Location = location;
            }

            public string Key { get; }

            public FlagValue Value { get; }

            public Location Location { get; }
        }

        private static void Report(Action<Diagnostic> report, IEnumerable<Diagnostic> diagnostics)
        {
            foreach (var diagnostic in diagnostics)
            {
                report(diagnostic);
            }
        }
    }
}
