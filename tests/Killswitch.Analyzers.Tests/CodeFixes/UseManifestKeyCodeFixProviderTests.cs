using Killswitch.Analyzers.CodeFixes.UseManifestKey;
using Killswitch.Analyzers.Tests.Infrastructure;

namespace Killswitch.Analyzers.Tests.CodeFixes;

/// <summary>KS1002 "Use flag 'x'": the key is rewritten where it is written.</summary>
public class UseManifestKeyCodeFixProviderTests
{
    private static string Code(string body, string keys = "") => $$"""
        using System.Threading.Tasks;
        using OpenFeature;
        public static class FlagKeys
        {
        {{keys}}
        }
        public class Checkout(IFeatureClient flags)
        {
            public async Task RunAsync()
            {
        {{body}}
            }
        }
        """;

    private static Task Verify(string source, string fixedSource, string? manifest = FlagRulesVerifier.Manifest, int iterations = 1)
    {
        var test = FlagRulesVerifier.CreateFixTest<UseManifestKeyCodeFixProvider>(source, fixedSource, manifest);
        test.NumberOfIncrementalIterations = iterations;
        test.NumberOfFixAllIterations = iterations;
        return test.RunAsync();
    }

    [Fact]
    public Task Literal_RewritesTheLiteral() => Verify(
        Code("""
                    await flags.GetBooleanValueAsync({|KS1002:"new-chekout"|}, false);
            """),
        Code("""
                    await flags.GetBooleanValueAsync("new-checkout", false);
            """));

    [Fact]
    public Task ConstInFlagKeys_RewritesTheDeclarationOnceForEveryUse() => Verify(
        Code(
            """
                    await flags.GetBooleanValueAsync({|KS1002:FlagKeys.NewCheckout|}, false);
                    if (await flags.GetBooleanValueAsync({|KS1002:FlagKeys.NewCheckout|}, false)) { }
            """,
            """
                public const string NewCheckout = "new-chekout";
            """),
        Code(
            """
                    await flags.GetBooleanValueAsync(FlagKeys.NewCheckout, false);
                    if (await flags.GetBooleanValueAsync(FlagKeys.NewCheckout, false)) { }
            """,
            """
                public const string NewCheckout = "new-checkout";
            """));

    [Fact]
    public Task StaticReadonlyField_RewritesItsInitializer() => Verify(
        Code(
            """
                    await flags.GetStringValueAsync({|KS1002:FlagKeys.Flow|}, "classic");
            """,
            """
                public static readonly string Flow = "checkout-flw";
            """),
        Code(
            """
                    await flags.GetStringValueAsync(FlagKeys.Flow, "classic");
            """,
            """
                public static readonly string Flow = "checkout-flow";
            """));

    [Fact]
    public Task LocalConstChainedToFlagKeysConst_RewritesTheOriginalLiteral() => Verify(
        Code(
            """
                    const string key = FlagKeys.MaxItems;
                    await flags.GetIntegerValueAsync({|KS1002:key|}, 10);
            """,
            """
                public const string MaxItems = "max-item";
            """),
        Code(
            """
                    const string key = FlagKeys.MaxItems;
                    await flags.GetIntegerValueAsync(key, 10);
            """,
            """
                public const string MaxItems = "max-items";
            """));

    private const string PascalManifest = """
        {
          "flags": {
            "NewCheckout": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" }
          }
        }
        """;

    [Fact]
    public Task Nameof_SiblingWithTheSuggestedNameExists_PointsNameofAtIt() => Verify(
        """
        using System.Threading.Tasks;
        using OpenFeature;
        public enum Features { NewChekout, NewCheckout }
        public class Checkout(IFeatureClient flags)
        {
            public Task<bool> RunAsync() => flags.GetBooleanValueAsync({|KS1002:nameof(Features.NewChekout)|}, false);
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;
        public enum Features { NewChekout, NewCheckout }
        public class Checkout(IFeatureClient flags)
        {
            public Task<bool> RunAsync() => flags.GetBooleanValueAsync(nameof(Features.NewCheckout), false);
        }
        """,
        PascalManifest);

    [Fact]
    public Task Nameof_NoSiblingWithTheSuggestedName_NoFix()
    {
        const string source = """
            using System.Threading.Tasks;
            using OpenFeature;
            public enum Features { NewChekout }
            public class Checkout(IFeatureClient flags)
            {
                public Task<bool> RunAsync() => flags.GetBooleanValueAsync({|KS1002:nameof(Features.NewChekout)|}, false);
            }
            """;
        return Verify(source, source, PascalManifest, iterations: 0);
    }

    [Fact]
    public Task NothingClose_NoFix()
    {
        var source = Code("""
                    await flags.GetBooleanValueAsync({|KS1002:"payments-v2"|}, false);
            """);
        return Verify(source, source, iterations: 0);
    }

    [Fact]
    public Task FixAll_TwoDocuments_EachCallGetsItsOwnSuggestion()
    {
        var test = FlagRulesVerifier.CreateFixTest<UseManifestKeyCodeFixProvider>(
            Code("""
                        await flags.GetBooleanValueAsync({|KS1002:"new-chekout"|}, false);
                """),
            Code("""
                        await flags.GetBooleanValueAsync("new-checkout", false);
                """));
        test.TestState.Sources.Add(("/0/Other.cs", """
            public class Other(OpenFeature.IFeatureClient flags)
            {
                public System.Threading.Tasks.Task<int> MaxAsync() => flags.GetIntegerValueAsync({|KS1002:"max-itemz"|}, 10);
            }
            """));
        test.FixedState.Sources.Add(("/0/Other.cs", """
            public class Other(OpenFeature.IFeatureClient flags)
            {
                public System.Threading.Tasks.Task<int> MaxAsync() => flags.GetIntegerValueAsync("max-items", 10);
            }
            """));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 2;
        return test.RunAsync();
    }
}
