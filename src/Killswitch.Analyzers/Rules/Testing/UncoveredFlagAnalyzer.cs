using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Killswitch.Analyzers.Manifest;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Killswitch.Analyzers.Rules.Testing;

/// <summary>
/// KS2001 (info): in a test project that uses Killswitch.Xunit (its <c>FlagVariantsAttribute</c> is referenced), a flag of
/// the manifest that no <c>[FlagVariants("key")]</c> names. Reported at the flag's definition in the manifest, once per
/// compilation. The manifest comes in as for the flag rules: AdditionalFiles (Killswitch.Build's KillswitchFlagManifest,
/// or a file named flags.json, *.flags.json, *.flagd.json).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncoveredFlagAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The attribute that runs a chaos test under a flag's variants; its first argument is the flag key.</summary>
    internal const string FlagVariantsAttributeName = "Killswitch.Xunit.FlagVariantsAttribute";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UncoveredFlag);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        // The manifest first: a compilation's first look-up of a type it does not have builds the name tables of every
        // reference (11% of Killswitch's time on Newtonsoft.Json, docs/performance.md), and most projects have no manifest.
        if (!ManifestSource.Exists(context.Options))
        {
            return; // nothing to cover; the test discoverer says so if [FlagVariants] needs a manifest
        }

        var attribute = context.Compilation.GetTypeByMetadataName(FlagVariantsAttributeName);
        if (attribute is null || ManifestSource.Read(context.Options, context.CancellationToken) is not { } source)
        {
            return; // not a chaos test project
        }

        var covered = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // keys as values: see FlagManifestAnalyzer
        context.RegisterSymbolAction(
            symbolContext =>
            {
                foreach (var data in symbolContext.Symbol.GetAttributes())
                {
                    if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)
                        && data.ConstructorArguments.Length > 0
                        && data.ConstructorArguments[0].Value is string key)
                    {
                        covered.TryAdd(key, key);
                    }
                }
            },
            SymbolKind.Method);

        context.RegisterCompilationEndAction(end =>
        {
            var project = end.Compilation.AssemblyName ?? "this project";
            foreach (var flag in source.Manifest.Flags)
            {
                if (!covered.ContainsKey(flag.Key))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Descriptors.UncoveredFlag, source.LocationOf(flag.Location), flag.Key, project));
                }
            }
        });
    }
}
