using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Killswitch.Analyzers.Rules;

/// <summary>KS1001: a new code path (in the diff against the base branch) that no feature flag guards.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnguardedNewCodeAnalyzer : DiagnosticAnalyzer
{
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
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
    }
}
