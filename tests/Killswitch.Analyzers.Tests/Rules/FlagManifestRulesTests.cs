using Killswitch.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Killswitch.Analyzers.Tests.Rules;

/// <summary>KS1002-KS1010 and KS0004/KS0005: flag evaluations checked against the manifest.</summary>
public class FlagManifestRulesTests
{
    private static string Code(string body, string members = "") => $$"""
        using System.Threading.Tasks;
        using OpenFeature;
        public static class FlagKeys
        {
            public const string NewCheckout = "new-checkout";
            public static readonly string Flow = "checkout-flow";
            public const string Typo = "new-chekout";
        }
        public class Checkout(IFeatureClient flags)
        {
            public async Task RunAsync()
            {
        {{body}}
            }
        {{members}}
        }
        """;

    private static Task Verify(string body, params DiagnosticResult[] expected) =>
        FlagRulesVerifier.VerifyAsync(Code(body), FlagRulesVerifier.Manifest, false, expected);

    private static Task Verify(string body, string members, params DiagnosticResult[] expected) =>
        FlagRulesVerifier.VerifyAsync(Code(body, members), FlagRulesVerifier.Manifest, false, expected);

    [Fact]
    public Task KnownKeys_ThroughLiteralConstStaticReadonlyAndNameof_NoDiagnostic() => Verify("""
                await flags.GetBooleanValueAsync("new-checkout", false);
                await flags.GetBooleanValueAsync(FlagKeys.NewCheckout, false);
                await flags.GetStringValueAsync(FlagKeys.Flow, "classic");
                await flags.GetIntegerValueAsync("max-items", 10);
        """);

    [Fact]
    public Task UnknownKey_Literal_ReportsWithSuggestion() => Verify(
        """
                await flags.GetBooleanValueAsync(new-chekout, false);
        """.Replace("new-chekout", "{|#0:\"new-chekout\"|}"),
        new DiagnosticResult("KS1002", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("new-chekout", "; did you mean 'new-checkout'?"));

    [Fact]
    public Task UnknownKey_ThroughConstant_Reports() => Verify("""
                await flags.GetBooleanValueAsync({|KS1002:FlagKeys.Typo|}, false);
        """);

    [Fact]
    public Task UnknownKey_NothingClose_NoSuggestion() => Verify(
        """
                await flags.GetBooleanValueAsync({|#0:"payments-v2"|}, false);
        """,
        new DiagnosticResult("KS1002", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments("payments-v2", string.Empty));

    [Fact]
    public Task NonConstantKey_Info() => Verify("""
                var key = System.Environment.GetEnvironmentVariable("FLAG") ?? "x";
                await flags.GetBooleanValueAsync({|KS1007:key|}, false);
        """);

    [Fact]
    public Task BooleanCallOnStringFlag_TypeMismatch() => Verify(
        """
                await {|#0:flags.GetBooleanValueAsync("checkout-flow", false)|};
        """,
        new DiagnosticResult("KS1003", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("GetBooleanValueAsync", "checkout-flow", "boolean", "string", "flags.json(5,5)"));

    [Fact]
    public Task IntegerCallOnFloatFlag_TypeMismatch() => Verify("""
                await {|KS1003:flags.GetIntegerValueAsync("discount-rate", 0)|};
        """);

    [Fact]
    public Task LaunchDarklyBoolVariationOnStringFlag_TypeMismatch() => FlagRulesVerifier.VerifyAsync("""
        using LaunchDarkly.Sdk;
        using LaunchDarkly.Sdk.Server.Interfaces;
        public class Search(ILdClient client)
        {
            public bool Run(Context user) => {|KS1003:client.BoolVariation("checkout-flow", user, false)|};
        }
        """);

    [Fact]
    public Task DefaultDisagreesWithManifest_ReportsManifestDefault() => Verify(
        """
                await flags.GetBooleanValueAsync("new-checkout", {|#0:true|});
        """,
        new DiagnosticResult("KS1004", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("true", "new-checkout", "the manifest's default false (variant 'off', flags.json(4,5))"));

    [Fact]
    public Task DefaultsDifferBetweenCallSites_WhenManifestLeavesDefaultToCode() => Verify(
        """
                await flags.GetBooleanValueAsync("code-default", false);
                await flags.GetBooleanValueAsync("code-default", {|#0:true|});
        """,
        new DiagnosticResult("KS1004", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("true", "code-default", "the default false used at Test0.cs(13,58)"));

    [Fact]
    public Task StringComparedWithUnknownVariant_Reports() => Verify(
        """
                var flow = await flags.GetStringValueAsync("checkout-flow", "classic");
                if (flow == {|#0:"wizzard"|}) { }
                if (flow == "wizard") { }
        """,
        new DiagnosticResult("KS1005", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("checkout-flow", "\"wizzard\"", "classic=\"classic\", wizard=\"wizard\""));

    [Fact]
    public Task StringComparedInLambdaAndIsPattern_Reports() => Verify("""
                var flow = await flags.GetStringValueAsync("checkout-flow", "classic");
                System.Func<bool> check = () => flow == {|KS1005:"wizzard"|};
                if (flow is "classic" or {|KS1005:"one-page"|}) { }
        """);

    [Fact]
    public Task CallSpelledWithUnicodeEscape_StillChecked() => Verify("""
                await flags.GetBoolean\u0056alueAsync({|KS1002:"payments-v2"|}, false);
        """);

    [Fact]
    public Task CallsThroughConditionalAccessAndGenericLookalikes_CheckedOnlyWhenFlagApi() => Verify("""
                IFeatureClient? maybe = flags;
                await maybe?.GetBooleanValueAsync({|KS1002:"payments-v2"|}, false)!;
                var text = "GetBooleanValueAsync(\"payments-v2\", false)"; // in a string: no call
                await GetBooleanValueAsync("payments-v2", false); // same name, not a flag API
        """, members: """
            private static Task<bool> GetBooleanValueAsync(string key, bool fallback) => Task.FromResult(fallback);
        """);

    [Fact]
    public Task CallsInFieldInitializerPropertyAndLocalFunction_Checked() => Verify("""
                await Local();
                async Task<bool> Local() => await flags.GetBooleanValueAsync({|KS1002:"payments-v3"|}, false);
        """, members: """
            private readonly Task<bool> _early = Api.Instance.GetClient().GetBooleanValueAsync({|KS1002:"payments-v4"|}, false);
            public Task<string> Flow => flags.GetStringValueAsync("checkout-flow", "classic");
            public bool IsWizard(string flow) => flow == "wizzard"; // not a flag value here: no diagnostic
        """);

    [Fact]
    public Task SwitchWithUnknownCaseAndMissingVariant_ReportsBoth() => Verify("""
                switch (await flags.GetStringValueAsync("checkout-flow", "classic"))
                {
                    case "classic": break;
                    case {|KS1005:"one-page"|}: break;
                }
        """.Replace("switch (await", "{|KS1008:switch|} (await"));

    [Fact]
    public Task SwitchExpressionCoveringAllVariants_NoDiagnostic() => Verify("""
                var flow = await flags.GetStringValueAsync("checkout-flow", "classic");
                var steps = flow switch { "classic" => 1, "wizard" => 3, _ => 0 };
        """);

    [Fact]
    public Task DisabledFlag_Stale() => Verify("""
                await {|KS1006:flags.GetBooleanValueAsync("legacy-banner", false)|};
        """.Replace("false)|}", "true)|}"));

    [Fact]
    public Task ExpiredFlag_Stale() => Verify(
        """
                await {|#0:flags.GetBooleanValueAsync("old-search", true)|};
        """,
        new DiagnosticResult("KS1006", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("old-search", "it expired on 2026-01-31 (flags.json(9,5))"));

    [Fact]
    public Task SingleVariantFlag_InfoUnlessPermanent() => Verify("""
                await {|KS1010:flags.GetBooleanValueAsync("one-way", true)|};
                await flags.GetBooleanValueAsync("maintenance", true);
        """);

    [Fact]
    public Task UnusedManifestFlags_ReportedAtTheirDefinition()
    {
        const string manifest = """
            {
              "flags": {
                "used": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" },
                "dead": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" }
              }
            }
            """;
        return FlagRulesVerifier.VerifyAsync(
            "using OpenFeature; public class C(IFeatureClient f) { public System.Threading.Tasks.Task<bool> Run() => f.GetBooleanValueAsync(\"used\", false); }",
            manifest,
            reportUnused: true,
            new DiagnosticResult("KS1009", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithSpan(FlagRulesVerifier.ManifestPath, 4, 5, 4, 6)
                .WithArguments("dead", "TestProject"));
    }

    [Fact]
    public async Task GeneratedCode_ByHeaderOrAttribute_NeitherReportsNorMarksFlagsUsed()
    {
        const string manifest = """
            {
              "flags": {
                "used": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" },
                "dead": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" }
              }
            }
            """;
        var test = FlagRulesVerifier.Create(
            "using OpenFeature; public class C(IFeatureClient f) { public System.Threading.Tasks.Task<bool> Run() => f.GetBooleanValueAsync(\"used\", false); }",
            manifest,
            reportUnused: true);

        // An unknown key (KS1002) and a wrong default (KS1004) in generated code are not reported, and "dead", evaluated
        // only there, is still unused (KS1009), as if the driver had skipped the generated code itself.
        test.TestState.Sources.Add(("/0/Client.g.cs", """
            // <auto-generated/>
            using OpenFeature;
            public class GeneratedClient(IFeatureClient f)
            {
                public System.Threading.Tasks.Task<bool> A() => f.GetBooleanValueAsync("not-in-manifest", false);
                public System.Threading.Tasks.Task<bool> B() => f.GetBooleanValueAsync("dead", true);
            }
            """));
        test.TestState.Sources.Add(("/0/Tool.cs", """
            using OpenFeature;
            [System.CodeDom.Compiler.GeneratedCode("tool", "1.0")]
            public class ToolClient(IFeatureClient f)
            {
                public System.Threading.Tasks.Task<bool> A() => f.GetBooleanValueAsync("also-not-in-manifest", false);
                public System.Threading.Tasks.Task<bool> B() => f.GetBooleanValueAsync("dead", true);
            }
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("KS1009", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithSpan(FlagRulesVerifier.ManifestPath, 4, 5, 4, 6)
            .WithArguments("dead", "TestProject"));
        await test.RunAsync();
    }

    // As the compiler's own test has it, a file with #line hidden hides what is under it and what comes before its first
    // #line directive.
    [Fact]
    public Task LineHiddenCode_NotChecked() => FlagRulesVerifier.VerifyAsync("""
        using System.Threading.Tasks;
        using OpenFeature;
        public class Page(IFeatureClient flags)
        {
        #line hidden
            public Task<bool> Hidden() => flags.GetBooleanValueAsync("hidden-typo", false);
        #line default
            public Task<bool> Visible() => flags.GetBooleanValueAsync({|KS1002:"visible-typo"|}, false);
        }
        """);

    [Fact]
    public Task MalformedManifest_OneDiagnosticWithPosition_KeepsOtherFlags()
    {
        const string manifest = """
            {
              "flags": {
                "good": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" },
                "bad": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "maybe" }
              }
            }
            """;
        return FlagRulesVerifier.VerifyAsync(
            "using OpenFeature; public class C(IFeatureClient f) { public System.Threading.Tasks.Task<bool> Run() => f.GetBooleanValueAsync(\"good\", false) ; public System.Threading.Tasks.Task<bool> Bad() => f.GetBooleanValueAsync(\"bad\", false); }",
            manifest,
            reportUnused: false,
            new DiagnosticResult("KS0004", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithSpan(FlagRulesVerifier.ManifestPath, 4, 94, 4, 95)
                .WithArguments("flags.json(4,94): Flag 'bad' has defaultVariant 'maybe', which is not one of its variants (on, off); name one of them, or write null to use the code default."));
    }

    [Fact]
    public Task NoManifest_OneInfoForTheProject() => FlagRulesVerifier.VerifyAsync(
        Code("""
                    await {|#0:flags.GetBooleanValueAsync("a", false)|};
                    await flags.GetBooleanValueAsync("b", false);
            """),
        manifest: null,
        reportUnused: false,
        new DiagnosticResult("KS0005", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0)
            .WithArguments(2, "flags.GetBooleanValueAsync(\"a\", false)"));

    [Fact]
    public Task NoManifest_FirstCallByFileAndPosition_WhicheverTreeIsAnalyzedFirst()
    {
        var test = FlagRulesVerifier.Create("""
            using OpenFeature;
            public class B(IFeatureClient f) { public System.Threading.Tasks.Task<bool> Run() => f.GetBooleanValueAsync("b", false); }
            """, manifest: null, reportUnused: false);
        test.TestState.Sources.Add(("/0/A.cs", """
            using OpenFeature;
            public class A(IFeatureClient f) { public System.Threading.Tasks.Task<bool> Run() => {|#0:f.GetBooleanValueAsync("a", false)|}; }
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("KS0005", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0)
            .WithArguments(2, "f.GetBooleanValueAsync(\"a\", false)"));
        return test.RunAsync();
    }
    // Flag calls outside plain method bodies and spelled unusually: the places a cheaper search for flag calls (a text
    // screen by method name, an operation-block walk; docs/performance.md) could miss.
    [Fact]
    public Task FlagCallsInEveryKindOfBlock_AllChecked() => FlagRulesVerifier.VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        using OpenFeature;
        public class Base { public Base(Task<bool> warm) { } }
        public class Derived : Base
        {
            public Derived(IFeatureClient flags) : base(flags.GetBooleanValueAsync({|KS1002:"initializer-typo"|}, false)) { }
        }
        public class Checkout(IFeatureClient flags)
        {
            private readonly Task<bool> _field = flags.GetBooleanValueAsync({|KS1002:"field-typo"|}, false);
            public Task<bool> Property => flags.GetBooleanValueAsync({|KS1002:"property-typo"|}, false);
            public async Task RunAsync()
            {
                Func<Task<bool>> lambda = () => flags.GetBooleanValueAsync({|KS1002:"lambda-typo"|}, false);
                async Task<bool> Local() => await flags.GetBooleanValueAsync({|KS1002:"local-typo"|}, false);
                Console.WriteLine(await flags.GetBooleanValueAsync({|KS1002:"argument-typo"|}, false));
                var nested = await flags.GetStringValueAsync({|KS1002:"outer-typo"|}, (await flags.GetBooleanValueAsync({|KS1002:"inner-typo"|}, false)).ToString());
                // flags.GetBooleanValueAsync("comment-typo", false) is no call, nor is "GetBooleanValueAsync" in a string.
            }
        }
        """);

    [Fact]
    public Task FlagMethodNameSpelledWithUnicodeEscape_StillChecked() => FlagRulesVerifier.VerifyAsync("""
        using System.Threading.Tasks;
        using OpenFeature;
        public class Checkout(IFeatureClient flags)
        {
            public Task<bool> Run() => flags.Get\u0042ooleanValueAsync({|KS1002:"escaped-typo"|}, false);
            public Task<bool> Other() => flags.GetBoolean\u0056alueAsync({|KS1002:"escaped-fragment-typo"|}, false);
            public Task<bool> Plain() => flags.GetBooleanValueAsync({|KS1002:"plain-typo"|}, "\u00e9".Length == 0);
        }
        """);

    // The flag rules find calls from the method names in a tree's text (FlagCallFinder): every way a name can be the
    // called method, every flag API's names, and the look-alikes that are no call of a flag method.
    [Fact]
    public Task FlagCallsThroughConditionalAccessParenthesesAndEveryApi_AllChecked() => FlagRulesVerifier.VerifyAsync("""
        using System.Threading.Tasks;
        using LaunchDarkly.Sdk;
        using LaunchDarkly.Sdk.Server.Interfaces;
        using Microsoft.FeatureManagement;
        using OpenFeature;
        public class Checkout(IFeatureClient? flags, IFeatureManager features, ILdClient client)
        {
            public Task<bool>? Conditional() => flags?.GetBooleanValueAsync({|KS1002:"conditional-typo"|}, false);
            public Task<bool> Parenthesized() => (flags!.GetBooleanValueAsync)({|KS1002:"parenthesized-typo"|}, false);
            public Task<bool> FeatureManagement() => features.IsEnabledAsync({|KS1002:"feature-typo"|});
            public bool LaunchDarkly(Context user) => client.BoolVariation({|KS1002:"launchdarkly-typo"|}, user, false);
            public async ValueTask<bool> NotFlagCalls()
            {
                var value = new System.Collections.Generic.KeyValuePair<string, bool>("GetBooleanValueAsync", false).Value;
                System.Func<string, bool, Task<bool>> GetBooleanValueAsync = (_, d) => Task.FromResult(d);
                return value && await GetBooleanValueAsync("delegate-is-no-flag-call", false);
            }
        #if NEVER_DEFINED
            public Task<bool> Inactive() => flags!.GetBooleanValueAsync("inactive-typo", false);
        #endif
        }
        """);

    [Fact]
    public Task VerbatimFlagMethodName_Checked() => FlagRulesVerifier.VerifyAsync("""
        using System.Threading.Tasks;
        using OpenFeature;
        public class Checkout(IFeatureClient flags)
        {
            public Task<bool> Verbatim() => flags.@GetBooleanValueAsync({|KS1002:"verbatim-typo"|}, false);
        }
        """);
}
