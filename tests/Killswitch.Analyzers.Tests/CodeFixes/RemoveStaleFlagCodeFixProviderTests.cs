using Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;
using Killswitch.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Killswitch.Analyzers.Tests.CodeFixes;

/// <summary>KS1006/KS1010 "Remove flag 'k', keep variant X": the evaluation becomes the kept value and what it
/// decided is simplified away; every fixed state is compiled with warnings reported (CS1998, CS0162 fail it).</summary>
public class RemoveStaleFlagCodeFixProviderTests
{
    private const string StaleManifest = """
        {
          "flags": {
            "old-search": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "on", "metadata": { "expiry": "2026-01-31" } },
            "legacy-banner": { "state": "DISABLED", "variants": { "on": true, "off": false }, "defaultVariant": "on" },
            "one-way": { "state": "ENABLED", "variants": { "on": true }, "defaultVariant": "on" },
            "checkout-flow": { "state": "ENABLED", "variants": { "classic": "classic", "wizard": "wizard" }, "defaultVariant": "wizard", "metadata": { "expiry": "2026-03-01" } },
            "max-items": { "state": "ENABLED", "variants": { "small": 10, "large": 100 }, "defaultVariant": "large", "metadata": { "expiry": "2026-03-01" } },
            "new-checkout": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" }
          }
        }
        """;

    private static string Code(string body, string members = "", string usings = "") => $$"""
        using System.Threading.Tasks;
        using OpenFeature;
        {{usings}}
        public class Search(IFeatureClient flags)
        {
            public async Task<string> RunAsync(string query)
            {
        {{body}}
            }

            public Task<bool> CheckoutAsync() => flags.GetBooleanValueAsync("new-checkout", false);
        {{members}}
        }
        """;

    private static Task Verify(string source, string fixedSource, int action = 0, int iterations = 1)
    {
        var test = FlagRulesVerifier.CreateFixTest<RemoveStaleFlagCodeFixProvider>(source, fixedSource, StaleManifest);
        test.CodeActionIndex = action;
        test.NumberOfIncrementalIterations = iterations;
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }

    [Fact]
    public Task IfElse_KeepServedOn_KeepsTheThenBranch() => Verify(
        Code("""
                    if (await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|})
                    {
                        var hits = query.Split(' ');
                        return string.Join(",", hits);
                    }
                    else
                    {
                        return query;
                    }
            """),
        Code("""
                    var hits = query.Split(' ');
                    return Task.FromResult(string.Join(",", hits));
            """).Replace("public async Task<string>", "public Task<string>"));

    [Fact]
    public Task IfElse_KeepOff_KeepsTheElseBranchAndAwaitsThatRemain() => Verify(
        Code("""
                    if (await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|})
                    {
                        return query.ToUpperInvariant();
                    }

                    await Task.Yield();
                    return query;
            """),
        Code("""
                    await Task.Yield();
                    return query;
            """),
        action: 1);

    [Fact]
    public Task LogicalOperators_AndOrNot_Simplify() => Verify(
        Code("""
                    var a = query.Length > 3 && await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|};
                    var b = !await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|} || query.Length == 0;
                    await Task.Yield();
                    return a + "/" + b;
            """),
        Code("""
                    var a = query.Length > 3;
                    var b = query.Length == 0;
                    await Task.Yield();
                    return a + "/" + b;
            """),
        iterations: 2);

    [Fact]
    public Task LocalAssignedOnlyFromTheEvaluation_InlinedAndRemoved() => Verify(
        Code("""
                    var useNewSearch = await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|};
                    await Task.Yield();
                    var prefix = useNewSearch ? "new:" : "old:";
                    if (!useNewSearch)
                    {
                        prefix += "legacy";
                    }

                    return prefix + query;
            """),
        Code("""
                    await Task.Yield();
                    var prefix = "new:";
                    return prefix + query;
            """));

    [Fact]
    public Task SwitchOnAStringFlag_KeepsTheMatchingSection() => Verify(
        Code("""
                    var steps = 0;
                    switch (await {|KS1006:flags.GetStringValueAsync("checkout-flow", "wizard")|})
                    {
                        case "classic":
                            steps = 1;
                            break;
                        case "wizard":
                            steps = 3;
                            break;
                    }

                    await Task.Yield();
                    return query + steps;
            """),
        Code("""
                    var steps = 0;
                    steps = 3;

                    await Task.Yield();
                    return query + steps;
            """));

    [Fact]
    public Task StringComparisonAndSwitchExpression_Fold() => Verify(
        Code("""
                    var flow = await {|KS1006:flags.GetStringValueAsync("checkout-flow", "wizard")|};
                    var steps = flow switch { "classic" => 1, "wizard" => 3, _ => 0 };
                    await Task.Yield();
                    return flow == "wizard" ? query + steps : query;
            """),
        Code("""
                    var steps = 3;
                    await Task.Yield();
                    return query + steps;
            """));

    [Fact]
    public Task IntegerFlag_KeepsTheNumber() => Verify(
        Code("""
                    var max = await {|KS1006:flags.GetIntegerValueAsync("max-items", 100)|};
                    await Task.Yield();
                    return max > 50 ? query : query.Substring(0, max);
            """),
        Code("""
                    await Task.Yield();
                    return query;
            """));

    [Fact]
    public Task PrivateMethodOnlyTheDeadBranchUsed_Removed_OtherKept() => Verify(
        Code(
            """
                    await Task.Yield();
                    return await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|} ? NewSearch(query) : OldSearch(query);
            """,
            """
                private static string NewSearch(string query) => query.Trim();

                private static string OldSearch(string query) => Normalize(query) + "*";

                private static string Normalize(string query) => query.ToLowerInvariant();

                private static string Shared(string query) => query;

                public string Other(string query) => Shared(query);
            """),
        Code(
            """
                    await Task.Yield();
                    return NewSearch(query);
            """,
            """
                private static string NewSearch(string query) => query.Trim();

                private static string Shared(string query) => query;

                public string Other(string query) => Shared(query);
            """));

    [Fact]
    public Task PrivateMethodUsedElsewhere_Kept() => Verify(
        Code(
            """
                    await Task.Yield();
                    return await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|} ? query : OldSearch(query);
            """,
            """
                private static string OldSearch(string query) => query + "*";

                public string Fallback(string query) => OldSearch(query);
            """),
        Code(
            """
                    await Task.Yield();
                    return query;
            """,
            """
                private static string OldSearch(string query) => query + "*";

                public string Fallback(string query) => OldSearch(query);
            """));

    [Fact]
    public Task FeatureGateOnAControllerAction_RemovedWhenKeptOn() => Verify(
        """
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.FeatureManagement;
        using Microsoft.FeatureManagement.Mvc;

        [ApiController]
        public class SearchController(IFeatureManager features) : ControllerBase
        {
            /// <summary>Searches.</summary>
            [HttpPost("search")]
            [FeatureGate("old-search")]
            public async Task<object> Search(string query)
            {
                if (await {|KS1006:features.IsEnabledAsync("old-search")|})
                {
                    return Ok();
                }

                return query;
            }

            public Task<bool> BetaAsync() => features.IsEnabledAsync("new-checkout");
        }
        """,
        """
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.FeatureManagement;

        [ApiController]
        public class SearchController(IFeatureManager features) : ControllerBase
        {
            /// <summary>Searches.</summary>
            [HttpPost("search")]
            public Task<object> Search(string query)
            {
                return Task.FromResult(Ok());
            }

            public Task<bool> BetaAsync() => features.IsEnabledAsync("new-checkout");
        }
        """);

    [Fact]
    public Task DisabledFlag_FirstActionKeepsTheCodeDefault() => Verify(
        Code("""
                    await Task.Yield();
                    return await {|KS1006:flags.GetBooleanValueAsync("legacy-banner", {|KS1004:false|})|} ? "banner:" + query : query;
            """),
        Code("""
                    await Task.Yield();
                    return query;
            """));

    [Fact]
    public Task SingleVariantFlag_KS1010_KeepsItsOnlyVariant() => Verify(
        Code("""
                    await Task.Yield();
                    return await {|KS1010:flags.GetBooleanValueAsync("one-way", true)|} ? query : string.Empty;
            """),
        Code("""
                    await Task.Yield();
                    return query;
            """));

    [Fact]
    public Task StandaloneEvaluation_StatementRemoved_UnusedUsingRemoved() => Verify(
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public class Warmup
        {
            public async Task RunAsync(IFeatureClient flags)
            {
                await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|};
                System.Console.WriteLine("warm");
            }
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public class Warmup
        {
            public Task RunAsync(IFeatureClient flags)
            {
                System.Console.WriteLine("warm");
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task LastUseOfAPrimaryConstructorParameter_ParameterLeftInPlace_CS9113()
    {
        // Declined on purpose: removing the parameter changes the constructor its callers (DI, tests) use.
        const string source = """
            using System.Threading.Tasks;
            using OpenFeature;

            public class Banner(IFeatureClient flags)
            {
                public async Task<string> TextAsync() => await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|} ? "new" : "old";
            }
            """;
        var test = FlagRulesVerifier.CreateFixTest<RemoveStaleFlagCodeFixProvider>(source, """
            using System.Threading.Tasks;
            using OpenFeature;

            public class Banner(IFeatureClient flags)
            {
                public Task<string> TextAsync() => Task.FromResult("new");
            }
            """, StaleManifest);
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS9113").WithSpan(4, 36, 4, 41).WithArguments("flags"));
        return test.RunAsync();
    }

    [Fact]
    public Task FixAll_TwoDocuments_RemovesEveryStaleEvaluation()
    {
        var test = FlagRulesVerifier.CreateFixTest<RemoveStaleFlagCodeFixProvider>(
            Code("""
                        if (!await {|KS1006:flags.GetBooleanValueAsync("old-search", true)|})
                        {
                            return "legacy";
                        }

                        var flow = await {|KS1006:flags.GetStringValueAsync("checkout-flow", "wizard")|};
                        return flow + query;
                """),
            Code("""
                        return Task.FromResult("wizard" + query);
                """).Replace("public async Task<string>", "public Task<string>"),
            StaleManifest);
        test.TestState.Sources.Add(("/0/Other.cs", """
            public class Other(OpenFeature.IFeatureClient flags)
            {
                public async System.Threading.Tasks.Task<int> MaxAsync() => await {|KS1006:flags.GetIntegerValueAsync("max-items", 100)|} * 2;

                public System.Threading.Tasks.Task<bool> NewCheckoutAsync() => flags.GetBooleanValueAsync("new-checkout", false);
            }
            """));
        test.FixedState.Sources.Add(("/0/Other.cs", """
            public class Other(OpenFeature.IFeatureClient flags)
            {
                public System.Threading.Tasks.Task<int> MaxAsync() => System.Threading.Tasks.Task.FromResult(100 * 2);

                public System.Threading.Tasks.Task<bool> NewCheckoutAsync() => flags.GetBooleanValueAsync("new-checkout", false);
            }
            """));
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 2;
        return test.RunAsync();
    }

    [Fact]
    public Task FixAll_CheckoutService_RemovesEveryStaleFlagAndTheCodeOnlyTheyReached()
    {
        // Realistic code, not a one-liner: an injected field, a logging interface, early returns, try/catch, a local
        // holding the flag used in an && condition and a negation, a switch on a string flag, a helper only the dead
        // branch calls, and a live flag in the same class that must stay.
        const string manifest = """
            {
              "flags": {
                "express-checkout": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "on", "metadata": { "expiry": "2026-01-31" } },
                "checkout-flow": { "state": "ENABLED", "variants": { "classic": "classic", "wizard": "wizard" }, "defaultVariant": "wizard", "metadata": { "expiry": "2026-03-01" } },
                "new-checkout": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" }
              }
            }
            """;
        const string source = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using OpenFeature;

            public interface IOrderLog
            {
                void Info(string message);

                void Error(string message, Exception exception);
            }

            public interface IOrderStore
            {
                Task SaveAsync(string customerId, int items, int steps, CancellationToken cancellationToken);
            }

            public sealed class CheckoutService
            {
                private readonly IFeatureClient _flags;
                private readonly IOrderStore _orders;
                private readonly IOrderLog _log;

                public CheckoutService(IFeatureClient flags, IOrderStore orders, IOrderLog log)
                {
                    _flags = flags;
                    _orders = orders;
                    _log = log;
                }

                public async Task<int> PlaceOrderAsync(string customerId, int items, CancellationToken cancellationToken)
                {
                    if (items <= 0)
                    {
                        _log.Info("Empty order from " + customerId);
                        return 0;
                    }

                    var express = await {|KS1006:_flags.GetBooleanValueAsync("express-checkout", true, cancellationToken: cancellationToken)|};
                    var steps = 0;
                    switch (await {|KS1006:_flags.GetStringValueAsync("checkout-flow", "wizard", cancellationToken: cancellationToken)|})
                    {
                        case "classic":
                            steps = 1;
                            break;
                        case "wizard":
                            steps = 3;
                            break;
                    }

                    try
                    {
                        if (express && items < 10)
                        {
                            _log.Info("Express order from " + customerId);
                            await _orders.SaveAsync(customerId, items, 1, cancellationToken);
                            return 1;
                        }

                        if (!express)
                        {
                            return await LegacyPlaceOrderAsync(customerId, items, cancellationToken);
                        }

                        await _orders.SaveAsync(customerId, items, steps, cancellationToken);
                        return steps;
                    }
                    catch (InvalidOperationException e)
                    {
                        _log.Error("Order from " + customerId + " failed", e);
                        return -1;
                    }
                }

                public async Task<string> BannerAsync(CancellationToken cancellationToken)
                {
                    if (await _flags.GetBooleanValueAsync("new-checkout", false, cancellationToken: cancellationToken))
                    {
                        return "Try the new checkout";
                    }

                    return await {|KS1006:_flags.GetBooleanValueAsync("express-checkout", true, cancellationToken: cancellationToken)|} ? "Express checkout" : "Checkout";
                }

                private async Task<int> LegacyPlaceOrderAsync(string customerId, int items, CancellationToken cancellationToken)
                {
                    _log.Info("Legacy order from " + customerId);
                    await _orders.SaveAsync(customerId, items, 2, cancellationToken);
                    return 2;
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using OpenFeature;

            public interface IOrderLog
            {
                void Info(string message);

                void Error(string message, Exception exception);
            }

            public interface IOrderStore
            {
                Task SaveAsync(string customerId, int items, int steps, CancellationToken cancellationToken);
            }

            public sealed class CheckoutService
            {
                private readonly IFeatureClient _flags;
                private readonly IOrderStore _orders;
                private readonly IOrderLog _log;

                public CheckoutService(IFeatureClient flags, IOrderStore orders, IOrderLog log)
                {
                    _flags = flags;
                    _orders = orders;
                    _log = log;
                }

                public async Task<int> PlaceOrderAsync(string customerId, int items, CancellationToken cancellationToken)
                {
                    if (items <= 0)
                    {
                        _log.Info("Empty order from " + customerId);
                        return 0;
                    }

                    var steps = 0;
                    steps = 3;

                    try
                    {
                        if (items < 10)
                        {
                            _log.Info("Express order from " + customerId);
                            await _orders.SaveAsync(customerId, items, 1, cancellationToken);
                            return 1;
                        }

                        await _orders.SaveAsync(customerId, items, steps, cancellationToken);
                        return steps;
                    }
                    catch (InvalidOperationException e)
                    {
                        _log.Error("Order from " + customerId + " failed", e);
                        return -1;
                    }
                }

                public async Task<string> BannerAsync(CancellationToken cancellationToken)
                {
                    if (await _flags.GetBooleanValueAsync("new-checkout", false, cancellationToken: cancellationToken))
                    {
                        return "Try the new checkout";
                    }

                    return "Express checkout";
                }
            }
            """;
        var test = FlagRulesVerifier.CreateFixTest<RemoveStaleFlagCodeFixProvider>(source, fixedSource, manifest);
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }
}
