using Killswitch.Analyzers.Rules.Flags;
using Killswitch.Analyzers.Rules.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Killswitch.Analyzers.Tests.Rules;

/// <summary>KS2001: a manifest flag that no [FlagVariants] chaos test covers, in a test project using Killswitch.Xunit.</summary>
public class UncoveredFlagTests
{
    private const string ManifestPath = "/0/flags.json";

    private const string Manifest = """
        {
          "flags": {
            "new-checkout": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" },
            "checkout-flow": { "state": "ENABLED", "variants": { "classic": "classic", "wizard": "wizard" }, "defaultVariant": "classic" },
            "dark-mode": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" }
          }
        }
        """;

    /// <summary>The shape of Killswitch.Xunit's attribute: the rule recognises it by its full name.</summary>
    private const string FlagVariantsStub = """
        namespace Killswitch.Xunit
        {
            [System.AttributeUsage(System.AttributeTargets.Method, AllowMultiple = true)]
            public sealed class FlagVariantsAttribute : System.Attribute
            {
                public FlagVariantsAttribute(string flagKey, params string[] variants) { }
            }
        }
        """;

    private const string Tests = """
        using Killswitch.Xunit;
        public class CheckoutTests
        {
            [FlagVariants("new-checkout")]
            public void Checkout_completes() { }

            [FlagVariants("checkout-flow", "wizard")]
            [FlagVariants(Keys.NewCheckout)]
            public void Wizard_completes() { }
        }
        public static class Keys { public const string NewCheckout = "new-checkout"; }
        """;

    [Fact]
    public Task FlagWithoutFlagVariantsTest_InfoAtItsDefinition() => VerifyAsync<UncoveredFlagAnalyzer>(
        [Tests, FlagVariantsStub],
        Manifest,
        new DiagnosticResult("KS2001", DiagnosticSeverity.Info).WithSpan(ManifestPath, 5, 5, 5, 6).WithArguments("dark-mode", "TestProject"));

    [Fact]
    public Task EveryFlagCovered_NoDiagnostic() => VerifyAsync<UncoveredFlagAnalyzer>(
        [Tests.Replace("public void Checkout_completes", "[FlagVariants(\"dark-mode\")] public void Checkout_completes", StringComparison.Ordinal), FlagVariantsStub],
        Manifest);

    [Fact]
    public Task NotAChaosTestProject_NoDiagnostic() => VerifyAsync<UncoveredFlagAnalyzer>(
        ["public class C { }"],
        Manifest);

    [Fact]
    public Task NoManifest_NoDiagnostic() => VerifyAsync<UncoveredFlagAnalyzer>(
        [Tests, FlagVariantsStub],
        manifest: null);

    [Fact]
    public Task ChaosTestProject_UnusedFlagRuleStaysQuiet() => VerifyAsync<FlagManifestAnalyzer>(
        [Tests, FlagVariantsStub],
        Manifest);

    private static Task VerifyAsync<TAnalyzer>(string[] sources, string? manifest, params DiagnosticResult[] expected)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { ReferenceAssemblies = ReferenceAssemblies.Net.Net80 };
        var index = 0;
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(($"/0/Test{index++}.cs", source));
        }

        if (manifest is not null)
        {
            test.TestState.AdditionalFiles.Add((ManifestPath, manifest));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
