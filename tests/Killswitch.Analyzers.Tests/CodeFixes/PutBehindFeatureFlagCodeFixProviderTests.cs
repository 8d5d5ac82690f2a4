using Microsoft.CodeAnalysis.Testing;
using Verify = Killswitch.Analyzers.Tests.CodeFixes.KS1001CodeFixVerifier;

namespace Killswitch.Analyzers.Tests.CodeFixes;

public class PutBehindFeatureFlagCodeFixProviderTests
{
    [Fact]
    public Task AsyncMethod_ClientFieldInScope_ExitsEarlyWhenFlagIsOff() => Verify.AllNew(
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class OrderService
        {
            private readonly IFeatureClient _flags;

            public OrderService(IFeatureClient flags) => _flags = flags;

            public async Task {|KS1001:PlaceOrderAsync|}(int id)
            {
                // Reserve stock first.
                await Task.Delay(id);
            }
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class OrderService
        {
            private readonly IFeatureClient _flags;

            public OrderService(IFeatureClient flags) => _flags = flags;

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
        """).RunAsync();

    [Fact]
    public Task MethodReturningTaskOfNullable_PrimaryConstructorClient_ReturnsNullWhenOff() => Verify.AllNew(
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed record Order(int Id);

        public sealed class OrderQueries(IFeatureClient {|CS9113:features|})
        {
            public async Task<Order?> {|KS1001:FindOrderAsync|}(int id) => await Task.FromResult(new Order(id));
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed record Order(int Id);

        public sealed class OrderQueries(IFeatureClient features)
        {
            public async Task<Order?> FindOrderAsync(int id)
            {
                if (!await features.GetBooleanValueAsync("find-order", false))
                {
                    return null;
                }

                return await Task.FromResult(new Order(id));
            }
        }
        """).RunAsync();

    [Fact]
    public Task MethodReturningTaskOfNonNullable_NoNullToInvent_ThrowsNamingTheFlagWhenOff() => Verify.AllNew(
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed record Quote(decimal Total);

        public sealed class Pricing(IFeatureClient {|CS9113:features|})
        {
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
        """).RunAsync();

    [Fact]
    public Task MethodReturningTaskOfValueType_ReturnsDefaultWhenOff() => Verify.AllNew(
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Stock(IFeatureClient {|CS9113:features|})
        {
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
        """).RunAsync();

    [Fact]
    public Task Branch_ClientParameterAndToken_ChecksFlagBeforeConditionAndPassesToken() => Verify.Changed(
        """
        using System.Threading;
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Shipping
        {
            public async Task ShipAsync(bool express, IFeatureClient flags, CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
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
                await Task.Delay(1, cancellationToken);
                {|KS1001:if (express)|}
                {
                    await Task.Delay(2, cancellationToken);
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
                await Task.Delay(1, cancellationToken);
                if (await flags.GetBooleanValueAsync("ship", false, cancellationToken: cancellationToken) && express)
                {
                    await Task.Delay(2, cancellationToken);
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task SwitchSection_SwitchHasDefault_GoesToDefaultWhenOff() => Verify.Changed(
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Fees(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public decimal Last { get; private set; }

            public async Task ChargeAsync(string country)
            {
                await Task.Yield();
                switch (country)
                {
                    default:
                        Charge(20m);
                        break;
                }
            }

            private void Charge(decimal fee) => Last = fee;
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Fees(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public decimal Last { get; private set; }

            public async Task ChargeAsync(string country)
            {
                await Task.Yield();
                switch (country)
                {
                    {|KS1001:case "NO":|}
                        Charge(25m);
                        break;
                    default:
                        Charge(20m);
                        break;
                }
            }

            private void Charge(decimal fee) => Last = fee;
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Fees(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public decimal Last { get; private set; }

            public async Task ChargeAsync(string country)
            {
                await Task.Yield();
                switch (country)
                {
                    case "NO":
                        if (await Flags.GetBooleanValueAsync("charge", false))
                        {
                            Charge(25m);
                            break;
                        }

                        goto default;
                    default:
                        Charge(20m);
                        break;
                }
            }

            private void Charge(decimal fee) => Last = fee;
        }
        """).RunAsync();

    [Fact]
    public Task SwitchExpressionArm_ArmMatchesOnlyWhenOn() => Verify.Changed(
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Fees(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task<decimal> FeeAsync(string country)
            {
                await Task.Yield();
                return country switch
                {
                    _ => Fee(20m),
                };
            }

            private static decimal Fee(decimal amount) => amount;
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Fees(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task<decimal> FeeAsync(string country)
            {
                await Task.Yield();
                return country switch
                {
                    {|KS1001:"NO" =>|} Fee(25m),
                    _ => Fee(20m),
                };
            }

            private static decimal Fee(decimal amount) => amount;
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Fees(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task<decimal> FeeAsync(string country)
            {
                await Task.Yield();
                return country switch
                {
                    "NO" when await Flags.GetBooleanValueAsync("fee", false) => Fee(25m),
                    _ => Fee(20m),
                };
            }

            private static decimal Fee(decimal amount) => amount;
        }
        """).RunAsync();

    [Fact]
    public Task CatchClause_RethrowsWhenOff() => Verify.Changed(
        """
        using System;
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Sync(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task RunAsync()
            {
                try
                {
                    await Task.Yield();
                }
                finally
                {
                    Console.WriteLine("done");
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
            public IFeatureClient Flags => flags;

            public async Task RunAsync()
            {
                try
                {
                    await Task.Yield();
                }
                {|KS1001:catch (TimeoutException)|}
                {
                    Console.WriteLine("timed out");
                }
                finally
                {
                    Console.WriteLine("done");
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
            public IFeatureClient Flags => flags;

            public async Task RunAsync()
            {
                try
                {
                    await Task.Yield();
                }
                catch (TimeoutException)
                {
                    if (!await Flags.GetBooleanValueAsync("run", false))
                    {
                        throw;
                    }

                    Console.WriteLine("timed out");
                }
                finally
                {
                    Console.WriteLine("done");
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task StatementsGroup_WrapsTheGroupOnly() => Verify.Changed(
        """
        using System;
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Refunds(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task RefundAsync(int order)
            {
                await Task.Delay(1);
                Console.WriteLine(order);
            }
        }
        """,
        """
        using System;
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Refunds(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task RefundAsync(int order)
            {
                await Task.Delay(1);
                // Tell the customer.
                {|KS1001:await Task.Delay(order);|}
                Console.WriteLine("refunded");
                Console.WriteLine(order);
            }
        }
        """,
        """
        using System;
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Refunds(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task RefundAsync(int order)
            {
                await Task.Delay(1);
                if (await Flags.GetBooleanValueAsync("refund", false))
                {
                    // Tell the customer.
                    await Task.Delay(order);
                    Console.WriteLine("refunded");
                }

                Console.WriteLine(order);
            }
        }
        """).RunAsync();

    // KS1001 reports 'if (await flags.GetBooleanValueAsync(...).ConfigureAwait(false))' as an unguarded new branch
    // (the ConfigureAwait call counts as behaviour); reported to the analyzer's owner. The fix is right: it matches the
    // method's ConfigureAwait(false), which CA2007 demands in library code.
    [Fact]
    public Task StatementsGroup_MethodUsesConfigureAwait_WrapsGroupAndConfiguresAwait() => Verify.Changed(
        """
        using System;
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Refunds(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task RefundAsync(int order)
            {
                await Task.Delay(1).ConfigureAwait(false);
                Console.WriteLine(order);
            }
        }
        """,
        """
        using System;
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Refunds(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task RefundAsync(int order)
            {
                await Task.Delay(1).ConfigureAwait(false);
                // Tell the customer.
                {|KS1001:await Task.Delay(order).ConfigureAwait(false);|}
                Console.WriteLine("refunded");
                Console.WriteLine(order);
            }
        }
        """,
        """
        using System;
        using System.Threading.Tasks;
        using OpenFeature;

        public sealed class Refunds(IFeatureClient flags)
        {
            public IFeatureClient Flags => flags;

            public async Task RefundAsync(int order)
            {
                await Task.Delay(1).ConfigureAwait(false);
                if (await Flags.GetBooleanValueAsync("refund", false).ConfigureAwait(false))
                {
                    // Tell the customer.
                    await Task.Delay(order).ConfigureAwait(false);
                    Console.WriteLine("refunded");
                }

                Console.WriteLine(order);
            }
        }
        """).RunAsync();

    [Fact]
    public Task StatementsGroup_DeclaresLocalUsedLater_OnlyTheOtherGroupIsFixed()
    {
        var test = Verify.Changed(
            """
            using System;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Refunds(IFeatureClient flags)
            {
                public IFeatureClient Flags => flags;

                public async Task RefundAsync(int order)
                {
                    await Task.Delay(1);
                    Console.WriteLine(order);
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Refunds(IFeatureClient flags)
            {
                public IFeatureClient Flags => flags;

                public async Task RefundAsync(int order)
                {
                    await Task.Delay(1);
                    {|#0:var note = string.Concat("refund ", order.ToString());|}
                    Console.WriteLine(order);
                    {|KS1001:Console.WriteLine(note);|}
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Refunds(IFeatureClient flags)
            {
                public IFeatureClient Flags => flags;

                public async Task RefundAsync(int order)
                {
                    await Task.Delay(1);
                    {|#0:var note = string.Concat("refund ", order.ToString());|}
                    Console.WriteLine(order);
                    if (await Flags.GetBooleanValueAsync("refund", false))
                    {
                        Console.WriteLine(note);
                    }
                }
            }
            """);

        // Wrapping the declaration would put 'note' out of scope below (CS0103): that fix is never offered.
        var unfixable = new DiagnosticResult("KS1001", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations | DiagnosticOptions.IgnoreSeverity);
        test.TestState.ExpectedDiagnostics.Add(unfixable);
        test.FixedState.ExpectedDiagnostics.Add(unfixable);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync();
    }

    [Fact]
    public Task EndpointLambda_OpenFeatureNoClient_AddsHandlerParameterAndAnswersNotFound() => Verify.AllNew(
        """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        var app = WebApplication.Create(args);
        app.{|KS1001:MapPost("/orders/refund"|}, (int id) => Results.Ok(id));
        app.Run();
        """,
        """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using OpenFeature;

        var app = WebApplication.Create(args);
        app.MapPost("/orders/refund", async (int id, IFeatureClient featureClient) =>
        {
            if (!await featureClient.GetBooleanValueAsync("orders-refund", false))
            {
                return Results.NotFound();
            }

            return Results.Ok(id);
        });
        app.Run();
        """).AsProgram().RunAsync();

    [Fact]
    public Task EndpointLambda_HandlerReturnsNothing_ReturnsEmptyResultOnOtherPaths() => Verify.AllNew(
        """
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;

        var app = WebApplication.Create(args);
        app.{|KS1001:MapDelete("/audit"|}, () => Task.Delay(1));
        app.Run();
        """,
        """
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using OpenFeature;

        var app = WebApplication.Create(args);
        app.MapDelete("/audit", async (IFeatureClient featureClient) =>
        {
            if (!await featureClient.GetBooleanValueAsync("audit", false))
            {
                return Results.NotFound();
            }

            await Task.Delay(1);
            return Results.Empty;
        });
        app.Run();
        """).AsProgram().RunAsync();

    [Fact]
    public Task EndpointLambda_HandlerReturnsPlainValue_OffersNoFix()
    {
        const string Code = """
            using Microsoft.AspNetCore.Builder;

            var app = WebApplication.Create(args);
            app.{|KS1001:MapGet("/hello"|}, () => string.Join(", ", "Hello", "World"));
            app.Run();
            """;
        return Verify.AllNew(Code, Code).AsProgram().RunAsync();
    }

    [Fact]
    public Task Endpoint_FeatureManagement_AppendsWithFeatureGateAtTheEndOfTheChain()
    {
        var test = Verify.AllNew(
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            var app = WebApplication.Create(args);
            app.{|KS1001:MapPost("/orders/refund"|}, (int id) => Results.Ok(id))
                .WithName("Refund");
            app.Run();
            """,
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.FeatureManagement.AspNetCore;

            var app = WebApplication.Create(args);
            app.MapPost("/orders/refund", (int id) => Results.Ok(id))
                .WithName("Refund")
                .WithFeatureGate("orders-refund");
            app.Run();
            """,
            openFeature: false).AsProgram();
        test.ReferenceAssemblies = Verify.FeatureManagement;
        return test.RunAsync();
    }

    [Fact]
    public Task ControllerAction_FeatureManagement_AddsFeatureGateAttribute()
    {
        var test = Verify.AllNew(
            """
            using Microsoft.AspNetCore.Mvc;

            public sealed class OrdersController : ControllerBase
            {
                [HttpPost("refund")]
                public IActionResult {|KS1001:Refund|}(int id) => Ok(id);
            }
            """,
            """
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.FeatureManagement.Mvc;

            public sealed class OrdersController : ControllerBase
            {
                [HttpPost("refund")]
                [FeatureGate("refund")]
                public IActionResult Refund(int id) => Ok(id);
            }
            """,
            openFeature: false);
        test.ReferenceAssemblies = Verify.FeatureManagement;
        return test.RunAsync();
    }

    [Fact]
    public Task ControllerAction_OpenFeature_AnswersNotFoundWhenOff() => Verify.AllNew(
        """
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Mvc;
        using OpenFeature;

        public sealed class OrdersController(IFeatureClient {|CS9113:flags|}) : ControllerBase
        {
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
        """).RunAsync();

    [Fact]
    public Task AsyncMethod_FeatureManagerInScope_ChecksIsEnabledAsync()
    {
        var test = Verify.AllNew(
            """
            using System.Threading.Tasks;
            using Microsoft.FeatureManagement;

            public sealed class Newsletter(IFeatureManager {|CS9113:features|})
            {
                public async Task {|KS1001:SendDigestAsync|}() => await Task.Yield();
            }
            """,
            """
            using System.Threading.Tasks;
            using Microsoft.FeatureManagement;

            public sealed class Newsletter(IFeatureManager features)
            {
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
            openFeature: false);
        test.ReferenceAssemblies = Verify.FeatureManagement;
        return test.RunAsync();
    }

    [Fact]
    public Task AsyncMethod_NoClientInScope_FallsBackToOpenFeatureApiInstance() => Verify.AllNew(
        """
        using System.Threading.Tasks;

        public static class Jobs
        {
            public static async Task {|KS1001:ReindexAsync|}() => await Task.Yield();
        }
        """,
        """
        using System.Threading.Tasks;
        using OpenFeature;

        public static class Jobs
        {
            public static async Task ReindexAsync()
            {
                if (!await Api.Instance.GetClient().GetBooleanValueAsync("reindex", false))
                {
                    return;
                }

                await Task.Yield();
            }
        }
        """).RunAsync();

    [Fact]
    public Task SynchronousMethod_WouldNeedBlocking_OffersNoFix()
    {
        const string Code = """
            using System;
            using OpenFeature;

            public sealed class Totals(IFeatureClient flags)
            {
                public IFeatureClient Flags => flags;

                public int {|KS1001:Sum|}(int a, int b) => Math.Max(a, b);
            }
            """;
        return Verify.AllNew(Code, Code).RunAsync();
    }

    [Fact]
    public Task NoFlagApiReferenced_OffersNoFix()
    {
        const string Code = """
            using System.Threading.Tasks;

            public sealed class OrderService
            {
                public async Task {|KS1001:PlaceOrderAsync|}() => await Task.Yield();
            }
            """;
        var test = Verify.AllNew(Code, Code, openFeature: false);
        test.ReferenceAssemblies = ReferenceAssemblies.Net.Net80;
        return test.RunAsync();
    }

    [Fact]
    public Task BothApisReferenced_OffersOneActionPerApi_FeatureManagementSecond()
    {
        var test = Verify.AllNew(
            """
            using System.Threading.Tasks;
            using Microsoft.FeatureManagement;
            using OpenFeature;

            public sealed class Newsletter(IFeatureManager {|CS9113:features|}, IFeatureClient client)
            {
                public IFeatureClient Client => client;

                public async Task {|KS1001:SendDigestAsync|}() => await Task.Yield();
            }
            """,
            """
            using System.Threading.Tasks;
            using Microsoft.FeatureManagement;
            using OpenFeature;

            public sealed class Newsletter(IFeatureManager features, IFeatureClient client)
            {
                public IFeatureClient Client => client;

                public async Task SendDigestAsync()
                {
                    if (!await features.IsEnabledAsync("send-digest"))
                    {
                        return;
                    }

                    await Task.Yield();
                }
            }
            """);
        test.ReferenceAssemblies = Verify.FeatureManagement;
        test.CodeActionEquivalenceKey = Verify.FeatureManagementAction;
        test.CodeActionIndex = 1;
        return test.RunAsync();
    }

    [Fact]
    public Task FixAll_Document_GuardsEveryPathOnce()
    {
        var test = Verify.AllNew(
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Loyalty(IFeatureClient flags)
            {
                public IFeatureClient Flags => flags;

                public int Points { get; private set; }

                public async Task {|KS1001:EarnAsync|}(int points)
                {
                    await Task.Yield();
                    Points += points;
                }

                public async Task {|KS1001:RedeemAsync|}(int points)
                {
                    await Task.Yield();
                    Points -= points;
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using OpenFeature;

            public sealed class Loyalty(IFeatureClient flags)
            {
                public IFeatureClient Flags => flags;

                public int Points { get; private set; }

                public async Task EarnAsync(int points)
                {
                    if (!await Flags.GetBooleanValueAsync("earn", false))
                    {
                        return;
                    }

                    await Task.Yield();
                    Points += points;
                }

                public async Task RedeemAsync(int points)
                {
                    if (!await Flags.GetBooleanValueAsync("redeem", false))
                    {
                        return;
                    }

                    await Task.Yield();
                    Points -= points;
                }
            }
            """);
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }
}
