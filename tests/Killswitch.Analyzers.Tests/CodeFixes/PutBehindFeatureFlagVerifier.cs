using System.Collections.Immutable;
using Killswitch.Analyzers.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Killswitch.Analyzers.Tests.CodeFixes;

/// <summary>
/// Runs the KS1001 code fix: the analyzer reports, the fix applies, and the fixed code must compile without any
/// compiler warning (<see cref="CompilerDiagnostics.Warnings"/>), as a project with TreatWarningsAsErrors would.
/// </summary>
internal static class PutBehindFeatureFlagVerifier
{
    public const string OpenFeatureKey = "KS1001.OpenFeature";
    public const string FeatureManagementKey = "KS1001.FeatureManagement";

    /// <summary>Everything is new: the scope a project adopting KS1001 on its whole codebase uses.</summary>
    public const string AllNew = "killswitch-newcode\t1\nscope\tAll\n";

    /// <summary>.NET 8 with ASP.NET Core and Microsoft.FeatureManagement.AspNetCore 4.7.0 (the version the feed serves).</summary>
    public static readonly ReferenceAssemblies WithFeatureManagement = ReferenceAssemblies.Net.Net80.AddPackages(ImmutableArray.Create(
        new PackageIdentity("Microsoft.AspNetCore.App.Ref", "8.0.0"),
        new PackageIdentity("Microsoft.FeatureManagement.AspNetCore", "4.7.0")));

    /// <summary>.NET 8 with ASP.NET Core only; OpenFeature comes as a source stub (<see cref="FlagApiStubs.OpenFeature"/>).</summary>
    public static readonly ReferenceAssemblies AspNetCore = ReferenceAssemblies.Net.Net80.AddPackages(ImmutableArray.Create(
        new PackageIdentity("Microsoft.AspNetCore.App.Ref", "8.0.0")));

    public sealed class Test<TAnalyzer> : CSharpCodeFixTest<TAnalyzer, PutBehindFeatureFlagCodeFixProvider, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public Test()
        {
            ReferenceAssemblies = AspNetCore;
            CompilerDiagnostics = CompilerDiagnostics.Warnings;

            // The framework parses doc comments (DocumentationMode.Diagnose); test code has none.
            DisabledDiagnostics.Add("CS1591");
            TestState.AdditionalFiles.Add(("/0/Test.killswitch-newcode", AllNew));
            SolutionTransforms.Add((solution, projectId) =>
            {
                var project = solution.GetProject(projectId)!;
                var options = ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable);
                return solution.WithProjectCompilationOptions(projectId, options);
            });
        }
    }
}
