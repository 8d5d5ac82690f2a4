using Microsoft.CodeAnalysis.Testing;
using Verify = Killswitch.Analyzers.Tests.CodeFixes.PutBehindFeatureFlagVerifier;

namespace Killswitch.Analyzers.Tests.CodeFixes;

public class PutBehindFeatureFlagCodeFixProviderTests
{
    [Fact]
    public async Task AsyncMethod_ClientFieldInScope_ExitsEarlyWhenFlagIsOff()
    {
        var test = new Verify.Test<ContractAnalyzer>
        {
            TestCode = """
                using System.Threading.Tasks;
                using OpenFeature;

                public sealed class OrderService
                {
                    private readonly IFeatureClient _flags;

                    public OrderService(IFeatureClient flags) => _flags = flags;

                    /*new:Member*/
                    public async Task {|KS1001:PlaceOrderAsync|}(int id)
                    {
                        // Reserve stock first.
                        await Task.Delay(id);
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                using OpenFeature;

                public sealed class OrderService
                {
                    private readonly IFeatureClient _flags;

                    public OrderService(IFeatureClient flags) => _flags = flags;

                    /*new:Member*/
                    public async Task PlaceOrderAsync(int id)
                    {
                        if (!await _flags.GetBooleanValueAsync("place-order", false))
                        {
                            return;
                        }

                        // Reserve stock first.
                        await Task.Delay(id);
                    }
                }
                """,
        };
        test.TestState.Sources.Add(FlagApiStubs.OpenFeature);
        test.FixedState.Sources.Add(FlagApiStubs.OpenFeature);
        await test.RunAsync();
    }

    [Fact]
    public async Task MethodReturningTaskOfNullable_PrimaryConstructorClient_ReturnsNullWhenOff()
    {
        await RunOpenFeatureAsync(
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed record Order(int Id);

            public sealed class OrderQueries(IFeatureClient {|CS9113:features|})
            {
                /*new:Member*/
                public async Task<Order?> {|KS1001:FindOrderAsync|}(int id) => await Task.FromResult(new Order(id));
            }
            """,
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed record Order(int Id);

            public sealed class OrderQueries(IFeatureClient features)
            {
                /*new:Member*/
                public async Task<Order?> FindOrderAsync(int id)
                {
                    if (!await features.GetBooleanValueAsync("find-order", false))
                    {
                        return null;
                    }

                    return await Task.FromResult(new Order(id));
                }
            }
            """);
    }

    [Fact]
    public async Task MethodReturningTaskOfNonNullable_NoNullToInvent_ThrowsNamingTheFlagWhenOff()
    {
        await RunOpenFeatureAsync(
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed record Quote(decimal Total);

            public sealed class Pricing(IFeatureClient {|CS9113:features|})
            {
                /*new:Member*/
                public async Task<Quote> {|KS1001:QuoteAsync|}(decimal total)
                {
                    await Task.Yield();
                    return new Quote(total);
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed record Quote(decimal Total);

            public sealed class Pricing(IFeatureClient features)
            {
                /*new:Member*/
                public async Task<Quote> QuoteAsync(decimal total)
                {
                    if (!await features.GetBooleanValueAsync("quote", false))
                    {
                        throw new InvalidOperationException("'QuoteAsync' is behind the feature flag 'quote', which is off.");
                    }

                    await Task.Yield();
                    return new Quote(total);
                }
            }
            """);
    }

    [Fact]
    public async Task MethodReturningTaskOfValueType_ReturnsDefaultWhenOff()
    {
        await RunOpenFeatureAsync(
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Stock(IFeatureClient {|CS9113:features|})
            {
                /*new:Member*/
                public async Task<int> {|KS1001:ReserveAsync|}(int count)
                {
                    await Task.Yield();
                    return count;
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Stock(IFeatureClient features)
            {
                /*new:Member*/
                public async Task<int> ReserveAsync(int count)
                {
                    if (!await features.GetBooleanValueAsync("reserve", false))
                    {
                        return default;
                    }

                    await Task.Yield();
                    return count;
                }
            }
            """);
    }

    [Fact]
    public async Task Branch_ClientParameterAndToken_WrapsBranchAndPassesToken()
    {
        await RunOpenFeatureAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Shipping
            {
                public async Task ShipAsync(bool express, IFeatureClient flags, CancellationToken cancellationToken)
                {
                    /*new:Branch*/
                    {|KS1001:if|} (express)
                    {
                        await Task.Delay(1, cancellationToken);
                    }
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Shipping
            {
                public async Task ShipAsync(bool express, IFeatureClient flags, CancellationToken cancellationToken)
                {
                    /*new:Branch*/
                    if (express)
                    {
                        if (await flags.GetBooleanValueAsync("ship", false, cancellationToken: cancellationToken))
                        {
                            await Task.Delay(1, cancellationToken);
                        }
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task SwitchSection_SwitchHasDefault_GoesToDefaultWhenOff()
    {
        await RunOpenFeatureAsync(
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Fees(IFeatureClient {|CS9113:flags|})
            {
                public decimal Last { get; private set; }

                public async Task ChargeAsync(string country)
                {
                    await Task.Yield();
                    switch (country)
                    {
                        /*new:Branch*/
                        {|KS1001:case|} "NO":
                            Last = 25m;
                            break;
                        default:
                            Last = 20m;
                            break;
                    }
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Fees(IFeatureClient flags)
            {
                public decimal Last { get; private set; }

                public async Task ChargeAsync(string country)
                {
                    await Task.Yield();
                    switch (country)
                    {
                        /*new:Branch*/
                        case "NO":
                            if (await flags.GetBooleanValueAsync("charge", false))
                            {
                                Last = 25m;
                                break;
                            }

                            goto default;
                        default:
                            Last = 20m;
                            break;
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task CatchClause_RethrowsWhenOff()
    {
        await RunOpenFeatureAsync(
            """
            using System;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Sync(IFeatureClient {|CS9113:flags|})
            {
                public int Failures { get; private set; }

                public async Task RunAsync()
                {
                    try
                    {
                        await Task.Yield();
                    }
                    /*new:Branch*/
                    {|KS1001:catch|} (TimeoutException)
                    {
                        Failures++;
                    }
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Sync(IFeatureClient flags)
            {
                public int Failures { get; private set; }

                public async Task RunAsync()
                {
                    try
                    {
                        await Task.Yield();
                    }
                    /*new:Branch*/
                    catch (TimeoutException)
                    {
                        if (!await flags.GetBooleanValueAsync("run", false))
                        {
                            throw;
                        }

                        Failures++;
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task StatementsGroup_MethodUsesConfigureAwait_WrapsGroupAndConfiguresAwait()
    {
        await RunOpenFeatureAsync(
            """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Refunds(IFeatureClient {|CS9113:flags|})
            {
                private readonly List<int> _audit = new();

                public async Task RefundAsync(int order)
                {
                    await Task.Delay(1).ConfigureAwait(false);
                    /*new:Statements*/
                    {|KS1001:await Task.Delay(order).ConfigureAwait(false);|}
                    _audit.Add(order);
                    /*old*/
                    _audit.Add(0);
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Refunds(IFeatureClient flags)
            {
                private readonly List<int> _audit = new();

                public async Task RefundAsync(int order)
                {
                    await Task.Delay(1).ConfigureAwait(false);
                    if (await flags.GetBooleanValueAsync("refund", false).ConfigureAwait(false))
                    {
                        /*new:Statements*/
                        await Task.Delay(order).ConfigureAwait(false);
                        _audit.Add(order);
                    }
                    /*old*/
                    _audit.Add(0);
                }
            }
            """);
    }

    [Fact]
    public async Task EndpointLambda_OpenFeatureNoClient_AddsHandlerParameterAndAnswersNotFound()
    {
        await RunOpenFeatureAsync(
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            public static class RefundEndpoints
            {
                public static void Map(WebApplication app)
                {
                    /*new:Endpoint*/
                    {|KS1001:app.MapPost("/orders/refund", (int id) => Results.Ok(id))|};
                }
            }
            """,
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using OpenFeature;

            public static class RefundEndpoints
            {
                public static void Map(WebApplication app)
                {
                    /*new:Endpoint*/
                    app.MapPost("/orders/refund", async (int id, IFeatureClient featureClient) =>
                    {
                        if (!await featureClient.GetBooleanValueAsync("orders-refund", false))
                        {
                            return Results.NotFound();
                        }

                        return Results.Ok(id);
                    });
                }
            }
            """);
    }

    [Fact]
    public async Task EndpointLambda_HandlerReturnsNothing_ReturnsEmptyResultOnOtherPaths()
    {
        await RunOpenFeatureAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using OpenFeature;

            public static class AuditEndpoints
            {
                public static void Map(WebApplication app)
                {
                    /*new:Endpoint*/
                    {|KS1001:app.MapDelete("/audit", () => Task.Delay(1))|};
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using OpenFeature;

            public static class AuditEndpoints
            {
                public static void Map(WebApplication app)
                {
                    /*new:Endpoint*/
                    app.MapDelete("/audit", async (IFeatureClient featureClient) =>
                    {
                        if (!await featureClient.GetBooleanValueAsync("audit", false))
                        {
                            return Results.NotFound();
                        }

                        await Task.Delay(1);
                        return Results.Empty;
                    });
                }
            }
            """);
    }

    [Fact]
    public async Task EndpointLambda_HandlerReturnsPlainValue_OffersNoFix()
    {
        const string code = """
            using Microsoft.AspNetCore.Builder;

            public static class HelloEndpoints
            {
                public static void Map(WebApplication app)
                {
                    /*new:Endpoint*/
                    {|KS1001:app.MapGet("/hello", () => "Hello")|};
                }
            }
            """;
        await RunOpenFeatureAsync(code, code);
    }

    [Fact]
    public async Task Endpoint_FeatureManagement_AppendsWithFeatureGate()
    {
        var test = new Verify.Test<ContractAnalyzer>
        {
            ReferenceAssemblies = Verify.WithFeatureManagement,
            TestCode = """
                using Microsoft.AspNetCore.Builder;
                using Microsoft.AspNetCore.Http;

                public static class RefundEndpoints
                {
                    public static void Map(WebApplication app)
                    {
                        /*new:Endpoint*/
                        {|KS1001:app.MapPost("/orders/refund", (int id) => Results.Ok(id))|}
                            .WithName("Refund");
                    }
                }
                """,
            FixedCode = """
                using Microsoft.AspNetCore.Builder;
                using Microsoft.AspNetCore.Http;
                using Microsoft.FeatureManagement.AspNetCore;

                public static class RefundEndpoints
                {
                    public static void Map(WebApplication app)
                    {
                        /*new:Endpoint*/
                        app.MapPost("/orders/refund", (int id) => Results.Ok(id))
                            .WithName("Refund")
                            .WithFeatureGate("orders-refund");
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task ControllerAction_FeatureManagement_AddsFeatureGateAttribute()
    {
        var test = new Verify.Test<ContractAnalyzer>
        {
            ReferenceAssemblies = Verify.WithFeatureManagement,
            TestCode = """
                using Microsoft.AspNetCore.Mvc;

                public sealed class OrdersController : ControllerBase
                {
                    /*new:Action*/
                    [HttpPost("refund")]
                    public IActionResult {|KS1001:Refund|}(int id) => Ok(id);
                }
                """,
            FixedCode = """
                using Microsoft.AspNetCore.Mvc;
                using Microsoft.FeatureManagement.Mvc;

                public sealed class OrdersController : ControllerBase
                {
                    /*new:Action*/
                    [HttpPost("refund")]
                    [FeatureGate("refund")]
                    public IActionResult Refund(int id) => Ok(id);
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task ControllerAction_OpenFeature_AnswersNotFoundWhenOff()
    {
        await RunOpenFeatureAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Mvc;
            using OpenFeature;

            public sealed class OrdersController(IFeatureClient {|CS9113:flags|}) : ControllerBase
            {
                /*new:Action*/
                [HttpPost("refund")]
                public async Task<IActionResult> {|KS1001:RefundAsync|}(int id)
                {
                    await Task.Yield();
                    return Ok(id);
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Mvc;
            using OpenFeature;

            public sealed class OrdersController(IFeatureClient flags) : ControllerBase
            {
                /*new:Action*/
                [HttpPost("refund")]
                public async Task<IActionResult> RefundAsync(int id)
                {
                    if (!await flags.GetBooleanValueAsync("refund", false))
                    {
                        return NotFound();
                    }

                    await Task.Yield();
                    return Ok(id);
                }
            }
            """);
    }

    [Fact]
    public async Task AsyncMethod_FeatureManagerField_ChecksIsEnabledAsync()
    {
        var test = new Verify.Test<ContractAnalyzer>
        {
            ReferenceAssemblies = Verify.WithFeatureManagement,
            TestCode = """
                using System.Threading.Tasks;
                using Microsoft.FeatureManagement;

                public sealed class Newsletter(IFeatureManager {|CS9113:features|})
                {
                    /*new:Member*/
                    public async Task {|KS1001:SendDigestAsync|}() => await Task.Yield();
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                using Microsoft.FeatureManagement;

                public sealed class Newsletter(IFeatureManager features)
                {
                    /*new:Member*/
                    public async Task SendDigestAsync()
                    {
                        if (!await features.IsEnabledAsync("send-digest"))
                        {
                            return;
                        }

                        await Task.Yield();
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task AsyncMethod_NoClientInScope_FallsBackToOpenFeatureApiInstance()
    {
        await RunOpenFeatureAsync(
            """
            using System.Threading.Tasks;

            public static class Jobs
            {
                /*new:Member*/
                public static async Task {|KS1001:ReindexAsync|}() => await Task.Yield();
            }
            """,
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public static class Jobs
            {
                /*new:Member*/
                public static async Task ReindexAsync()
                {
                    if (!await Api.Instance.GetClient().GetBooleanValueAsync("reindex", false))
                    {
                        return;
                    }

                    await Task.Yield();
                }
            }
            """);
    }

    [Fact]
    public async Task SynchronousMethod_WouldNeedBlocking_OffersNoFix()
    {
        const string code = """
            using OpenFeature;

            public sealed class Totals(IFeatureClient flags)
            {
                public IFeatureClient Flags => flags;

                /*new:Member*/
                public int {|KS1001:Sum|}(int a, int b) => a + b;
            }
            """;
        await RunOpenFeatureAsync(code, code);
    }

    [Fact]
    public async Task NoFlagApiReferenced_OffersNoFix()
    {
        const string code = """
            using System.Threading.Tasks;

            public sealed class OrderService
            {
                /*new:Member*/
                public async Task {|KS1001:PlaceOrderAsync|}() => await Task.Yield();
            }
            """;
        var test = new Verify.Test<ContractAnalyzer>
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            TestCode = code,
            FixedCode = code,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task BothApisReferenced_OffersOneActionPerApi_FeatureManagementSecond()
    {
        var test = new Verify.Test<ContractAnalyzer>
        {
            ReferenceAssemblies = Verify.WithFeatureManagement,
            CodeActionEquivalenceKey = Verify.FeatureManagementKey,
            CodeActionIndex = 1,
            TestCode = """
                using System.Threading.Tasks;
                using Microsoft.FeatureManagement;
                using OpenFeature;

                public sealed class Newsletter(IFeatureManager {|CS9113:features|}, IFeatureClient client)
                {
                    public IFeatureClient Client => client;

                    /*new:Member*/
                    public async Task {|KS1001:SendDigestAsync|}() => await Task.Yield();
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                using Microsoft.FeatureManagement;
                using OpenFeature;

                public sealed class Newsletter(IFeatureManager features, IFeatureClient client)
                {
                    public IFeatureClient Client => client;

                    /*new:Member*/
                    public async Task SendDigestAsync()
                    {
                        if (!await features.IsEnabledAsync("send-digest"))
                        {
                            return;
                        }

                        await Task.Yield();
                    }
                }
                """,
        };
        test.TestState.Sources.Add(FlagApiStubs.OpenFeature);
        test.FixedState.Sources.Add(FlagApiStubs.OpenFeature);
        await test.RunAsync();
    }

    [Fact]
    public async Task FixAll_Document_GuardsEveryPathOnceAndSkipsPathsInsideGuardedOnes()
    {
        var test = new Verify.Test<ContractAnalyzer>
        {
            CodeActionEquivalenceKey = Verify.OpenFeatureKey,
            TestCode = """
                using System.Threading.Tasks;
                using OpenFeature;

                public sealed class Loyalty(IFeatureClient {|CS9113:flags|})
                {
                    public int Points { get; private set; }

                    /*new:Member*/
                    public async Task {|KS1001:EarnAsync|}(int points)
                    {
                        await Task.Yield();
                        /*new:Branch*/
                        {|KS1001:if|} (points > 100)
                        {
                            Points += 10;
                        }
                    }

                    /*new:Member*/
                    public async Task {|KS1001:RedeemAsync|}(int points)
                    {
                        await Task.Yield();
                        Points -= points;
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                using OpenFeature;

                public sealed class Loyalty(IFeatureClient flags)
                {
                    public int Points { get; private set; }

                    /*new:Member*/
                    public async Task EarnAsync(int points)
                    {
                        if (!await flags.GetBooleanValueAsync("earn", false))
                        {
                            return;
                        }

                        await Task.Yield();
                        /*new:Branch*/
                        if (points > 100)
                        {
                            Points += 10;
                        }
                    }

                    /*new:Member*/
                    public async Task RedeemAsync(int points)
                    {
                        if (!await flags.GetBooleanValueAsync("redeem", false))
                        {
                            return;
                        }

                        await Task.Yield();
                        Points -= points;
                    }
                }
                """,
        };
        test.TestState.Sources.Add(FlagApiStubs.OpenFeature);
        test.FixedState.Sources.Add(FlagApiStubs.OpenFeature);
        await test.RunAsync();
    }

    private static async Task RunOpenFeatureAsync(string testCode, string fixedCode)
    {
        var test = new Verify.Test<ContractAnalyzer>
        {
            TestCode = testCode,
            FixedCode = fixedCode,
            CodeActionEquivalenceKey = Verify.OpenFeatureKey,
        };
        test.TestState.Sources.Add(FlagApiStubs.OpenFeature);
        test.FixedState.Sources.Add(FlagApiStubs.OpenFeature);
        await test.RunAsync();
    }
}
