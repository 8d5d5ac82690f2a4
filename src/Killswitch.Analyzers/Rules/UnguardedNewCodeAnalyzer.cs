using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Text;
using Killswitch.Analyzers.Baseline;
using Killswitch.Analyzers.Configuration;
using Killswitch.Analyzers.Guards;
using Killswitch.Analyzers.NewCode;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Killswitch.Analyzers.Rules;

/// <summary>
/// KS1001: a new code path (in the diff against the base branch) that no feature flag guards.
/// Cheap first: files git reports unchanged are skipped on their path; new code paths are found on syntax
/// (compared with the base version); flow analysis runs only for those paths.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnguardedNewCodeAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the kind of code path (Member, Action, Branch, Statements, Endpoint).</summary>
    public const string CodePathKindProperty = "KillswitchCodePathKind";

    /// <summary>Diagnostic property: a flag key derived from the member or route, for the code fix.</summary>
    public const string FlagKeyProperty = "KillswitchFlagKey";

    /// <summary>Diagnostic property: the key a baseline file uses to accept this finding.</summary>
    public const string BaselineKeyProperty = "KillswitchBaselineKey";

    /// <summary>AdditionalFiles metadata that says what a file is to Killswitch.</summary>
    internal const string KindMetadata = "build_metadata.AdditionalFiles.KillswitchKind";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.UnguardedNewCode,
        Descriptors.InvalidOption,
        Descriptors.InvalidBaseline,
        Descriptors.InvalidNewCodeFile);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();

        // Generated code is skipped here as with GeneratedCodeAnalysisFlags.None, but by this analyzer: with None the
        // driver tests every reported diagnostic for [GeneratedCode] with a walk over all tokens of its tree, charged
        // to KS1001 (16% of its time on Newtonsoft.Json). AnalyzeTree returns for generated trees and
        // GeneratedCodeFilter drops what the driver would drop, without the walk (docs/performance.md).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var compilation = context.Compilation;
        var problems = new List<Diagnostic>();
        var optionsSource = new MergedOptions(
            context.Options.AnalyzerConfigOptionsProvider.GlobalOptions,
            compilation.SyntaxTrees.FirstOrDefault() is { } firstTree ? context.Options.AnalyzerConfigOptionsProvider.GetOptions(firstTree) : null);
        var options = KillswitchOptions.Read(optionsSource, compilation);
        foreach (var problem in options.Problems)
        {
            problems.Add(Diagnostic.Create(Descriptors.InvalidOption, Location.None, problem));
        }

        NewCodeMap? map = null;
        var baseTexts = new Dictionary<string, AdditionalText>(StringComparer.Ordinal);
        var baseline = NewCodeBaseline.Empty;
        foreach (var file in context.Options.AdditionalFiles)
        {
            switch (KindOf(file, context.Options.AnalyzerConfigOptionsProvider))
            {
                case "NewCode":
                    var text = file.GetText(context.CancellationToken);
                    string? error = null;
                    map = text is null ? null : NewCodeMap.Parse(text, out error, context.CancellationToken);
                    if (map is null)
                    {
                        problems.Add(Diagnostic.Create(Descriptors.InvalidNewCodeFile, Location.None, file.Path, text is null ? "it could not be read" : error));
                    }

                    break;
                case "BaseText":
                    baseTexts[NewCodeMap.NormalizePath(file.Path)] = file;
                    break;
                case "Baseline":
                    baseline = NewCodeBaseline.Parse(file, problems, context.CancellationToken);
                    break;
            }
        }

        if (problems.Count > 0)
        {
            context.RegisterCompilationEndAction(end =>
            {
                foreach (var problem in problems)
                {
                    end.ReportDiagnostic(problem);
                }
            });
        }

        var scope = options.ScopeOverride ?? map?.Scope ?? NewCodeScope.None;
        if (scope == NewCodeScope.None)
        {
            return;
        }

        var state = new AnalysisState(compilation, new FlagApi(options), scope, scope == NewCodeScope.All ? null : map, baseTexts, baseline);
        context.RegisterSemanticModelAction(state.AnalyzeTree);
    }

    private static string? KindOf(AdditionalText file, AnalyzerConfigOptionsProvider provider)
    {
        if (provider.GetOptions(file).TryGetValue(KindMetadata, out var kind) && kind.Length > 0)
        {
            return kind;
        }

        var path = file.Path;
        if (path.EndsWith(NewCodeMap.FileSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return "NewCode";
        }

        if (path.EndsWith(NewCodeMap.BaseTextSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return "BaseText";
        }

        return path.EndsWith(NewCodeBaseline.FileSuffix, StringComparison.OrdinalIgnoreCase) ? "Baseline" : null;
    }

    /// <summary>
    /// Per-compilation state shared by the per-tree callbacks. A tree git reports unchanged costs one dictionary
    /// look-up; in a changed tree the new code paths are found on syntax, and only the members holding them get a
    /// control-flow graph and the guard dataflow. One callback per tree (not one per member) on purpose: measured
    /// with operation-block callbacks, the members of a changed tree waited for each other's syntax comparison on the
    /// compiler's threads, and the reported time grew tenfold (docs/performance.md).
    /// </summary>
    private sealed class AnalysisState
    {
        private readonly FlagApi _api;
        private readonly NewCodeScope _scope;
        private readonly NewCodeMap? _map;
        private readonly Dictionary<string, AdditionalText> _baseTexts;
        private readonly NewCodeBaseline _baseline;
        private readonly CallSiteIndex _callSites;
        private readonly GraphCache _graphs = new();
        private readonly GeneratedCodeFilter _generatedCode;

        public AnalysisState(
            Compilation compilation,
            FlagApi api,
            NewCodeScope scope,
            NewCodeMap? map,
            Dictionary<string, AdditionalText> baseTexts,
            NewCodeBaseline baseline)
        {
            _callSites = new CallSiteIndex(compilation, map);
            _generatedCode = new GeneratedCodeFilter(compilation);
            _api = api;
            _scope = scope;
            _map = map;
            _baseTexts = baseTexts;
            _baseline = baseline;
        }

        public void AnalyzeTree(SemanticModelAnalysisContext context)
        {
            var tree = context.SemanticModel.SyntaxTree;
            NewCodeFile? file = null;
            if (_scope == NewCodeScope.Changed)
            {
                file = _map?.Find(tree.FilePath);
                if (file is null)
                {
                    return;
                }
            }

            if (context.IsGeneratedCode)
            {
                return;
            }

            var cancellationToken = context.CancellationToken;
            var root = tree.GetRoot(cancellationToken);
            Func<SyntaxNode?> baseRoot = () => file?.BaseTextPath is { } basePath ? BaseRoot(basePath, tree, cancellationToken) : null;
            var paths = CodePathFinder.Find(root, file, baseRoot, cancellationToken);
            if (paths.Count == 0)
            {
                return;
            }

            var resolver = new GuardResolver(_api, context.SemanticModel, _callSites, _graphs, cancellationToken);
            foreach (var path in paths)
            {
                if (resolver.IsGuarded(path))
                {
                    continue;
                }

                var key = SyntaxUnits.QualifiedName(path.ExecutableRoot ?? root) + path.BaselineSuffix;
                if (_baseline.Contains(RuleIdentifiers.UnguardedNewCode, key)
                    || _generatedCode.IsGenerated(path.Anchor, context.SemanticModel, cancellationToken))
                {
                    continue;
                }

                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(CodePathKindProperty, path.Kind.ToString())
                    .Add(FlagKeyProperty, FlagKey(path.FlagKeySeed))
                    .Add(BaselineKeyProperty, key);
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.UnguardedNewCode,
                    path.Anchor,
                    new[] { Location.Create(tree, path.Region) },
                    properties,
                    path.Description));
            }
        }

        private SyntaxNode? BaseRoot(string basePath, SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
        {
            if (!_baseTexts.TryGetValue(basePath, out var file) || file.GetText(cancellationToken) is not { } text)
            {
                return null;
            }

            return CSharpSyntaxTree.ParseText(text, (CSharpParseOptions)tree.Options, basePath, cancellationToken).GetRoot(cancellationToken);
        }
    }

    /// <summary>"PlaceOrderAsync" → "place-order"; "/orders/{id}/refund" → "orders-refund".</summary>
    internal static string FlagKey(string seed)
    {
        if (seed.EndsWith("Async", StringComparison.Ordinal) && seed.Length > 5)
        {
            seed = seed.Substring(0, seed.Length - 5);
        }

        var builder = new StringBuilder();
        var inParameter = false;
        for (var i = 0; i < seed.Length; i++)
        {
            var c = seed[i];
            if (c == '{')
            {
                inParameter = true;
                continue;
            }

            if (c == '}')
            {
                inParameter = false;
                continue;
            }

            if (inParameter)
            {
                continue;
            }

            if (char.IsUpper(c))
            {
                if (builder.Length > 0 && builder[builder.Length - 1] != '-' && i > 0 && !char.IsUpper(seed[i - 1]))
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '-')
            {
                builder.Append('-');
            }
        }

        var key = builder.ToString().Trim('-');
        return key.Length == 0 ? "new-feature" : key;
    }

    /// <summary>.editorconfig options of the first tree, then .globalconfig / MSBuild-provided ones.</summary>
    private sealed class MergedOptions : AnalyzerConfigOptions
    {
        private readonly AnalyzerConfigOptions _global;
        private readonly AnalyzerConfigOptions? _tree;

        public MergedOptions(AnalyzerConfigOptions global, AnalyzerConfigOptions? tree)
        {
            _global = global;
            _tree = tree;
        }

        public override IEnumerable<string> Keys =>
            _tree is null ? _global.Keys : _tree.Keys.Concat(_global.Keys).Distinct(StringComparer.Ordinal);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) =>
            (_tree is not null && _tree.TryGetValue(key, out value)) || _global.TryGetValue(key, out value);
    }
}
