using Killswitch.Analyzers.Tests.Infrastructure;

namespace Killswitch.Analyzers.Tests.Rules;

/// <summary>
/// KS1001's guard recognition: every shape the rule accepts as "behind a flag", each beside the look-alike
/// that is not. All code is new here (scope All); the diff side is covered by UnguardedNewCodeDiffTests.
/// </summary>
public class UnguardedNewCodeGuardTests
{
    private const string Usings = """
        using System.Threading.Tasks;
        using OpenFeature;
        using Microsoft.FeatureManagement;
        using Microsoft.FeatureManagement.Mvc;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        """;

    private static Task Verify(string source, string? editorConfig = null) =>
        KS1001Verifier.VerifyAllNewAsync(Usings + source, editorConfig);

    private static Task VerifyProgram(string source) =>
        KS1001Verifier.CreateTest(Usings + source, KS1001Verifier.AllNew, topLevel: true).RunAsync();

    [Fact]
    public Task Method_NoFlagCheck_Reports() => Verify("""
        public class Checkout
        {
            public void {|KS1001:Place|}() { System.Console.WriteLine("new"); }
        }
        """);

    [Fact]
    public Task Method_BodyInsideAwaitedFlagCondition_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    System.Console.WriteLine("new");
                }
            }
        }
        """);

    [Fact]
    public Task Method_CallAfterGuardedIf_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task {|KS1001:PlaceAsync|}()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    System.Console.WriteLine("new");
                }

                System.Console.WriteLine("also new, but always runs");
            }
        }
        """);

    [Fact]
    public Task Method_EarlyExitGuard_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (!await flags.GetBooleanValueAsync("new-checkout", false)) return;
                System.Console.WriteLine("new");
            }
        }
        """);

    [Fact]
    public Task Method_EarlyExitThatDoesWorkWhenOff_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task {|KS1001:PlaceAsync|}()
            {
                if (!await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    System.Console.WriteLine("runs for everyone while the flag is off");
                    return;
                }

                System.Console.WriteLine("new");
            }
        }
        """);

    [Fact]
    public Task Method_ThrowingEarlyExit_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (!await flags.GetBooleanValueAsync("new-checkout", false))
                    throw new System.NotSupportedException("new-checkout is off");
                System.Console.WriteLine("new");
            }
        }
        """);

    [Fact]
    public Task Method_ConfigureAwaitOnFlagEvaluation_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false).ConfigureAwait(false))
                {
                    System.Console.WriteLine("new");
                }
            }
        }
        """);

    [Fact]
    public Task Endpoint_HandlerWithoutBehaviourOrFlag_Reports() => VerifyProgram("""
        var app = new WebApplication();
        app.{|KS1001:MapGet("/hello"|}, () => "Hello");
        app.Run();
        """);

    [Fact]
    public Task Method_FlagInLocal_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                var enabled = await flags.GetBooleanValueAsync("new-checkout", false);
                if (enabled)
                {
                    System.Console.WriteLine("new");
                }
            }
        }
        """);

    [Fact]
    public Task Method_FlagEvaluatedButNotInCondition_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task {|KS1001:PlaceAsync|}(bool express)
            {
                var enabled = await flags.GetBooleanValueAsync("new-checkout", false);
                if (express)
                {
                    System.Console.WriteLine(enabled);
                }
            }
        }
        """);

    [Fact]
    public Task Method_LocalReassignedFromNonFlag_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task {|KS1001:PlaceAsync|}(bool express)
            {
                var enabled = await flags.GetBooleanValueAsync("new-checkout", false);
                enabled = express;
                if (enabled)
                {
                    System.Console.WriteLine("new");
                }
            }
        }
        """);

    [Fact]
    public Task Method_FlagAndOtherCondition_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync(bool express)
            {
                if (express && await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    System.Console.WriteLine("new");
                }
            }
        }
        """);

    [Fact]
    public Task Method_FlagOrOtherCondition_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task {|KS1001:PlaceAsync|}(bool isAdmin)
            {
                if (isAdmin || await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    System.Console.WriteLine("admins get it without the flag");
                }
            }
        }
        """);

    [Fact]
    public Task Method_FlagOrFlag_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false) || await flags.GetBooleanValueAsync("beta", false))
                {
                    System.Console.WriteLine("new");
                }
            }
        }
        """);

    [Fact]
    public Task Method_CodeInElseOfFlag_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task {|KS1001:PlaceAsync|}()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                }
                else
                {
                    System.Console.WriteLine("runs when the flag is off");
                }
            }
        }
        """);

    [Fact]
    public Task Method_NegatedFlagWithElse_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (!await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    return;
                }
                else
                {
                    System.Console.WriteLine("new");
                }
            }
        }
        """);

    [Fact]
    public Task Method_IsTruePatternAndEqualsTrue_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("a", false) is true) { System.Console.WriteLine("a"); }
                if (await flags.GetBooleanValueAsync("b", false) == true) { System.Console.WriteLine("b"); }
                if (await flags.GetBooleanValueAsync("c", true) == false) { return; }
                System.Console.WriteLine("c");
            }
        }
        """);

    [Fact]
    public Task Method_DetailsValue_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                var details = await flags.GetBooleanDetailsAsync("new-checkout", false);
                if (details.Value) { System.Console.WriteLine("new"); }
            }
        }
        """);

    [Fact]
    public Task Method_SwitchOnStringFlag_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                switch (await flags.GetStringValueAsync("checkout-flow", "classic"))
                {
                    case "one-page":
                        System.Console.WriteLine("one page");
                        break;
                    case "wizard":
                        System.Console.WriteLine("wizard");
                        break;
                }
            }
        }
        """);

    [Fact]
    public Task Method_SwitchOnOtherValue_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task {|KS1001:PlaceAsync|}(string mode)
            {
                var flow = await flags.GetStringValueAsync("checkout-flow", "classic");
                switch (mode)
                {
                    case "one-page":
                        System.Console.WriteLine(flow);
                        break;
                }
            }
        }
        """);

    [Fact]
    public Task Method_VariantComparison_NoDiagnostic() => Verify("""
        public class Checkout(IVariantFeatureManager features)
        {
            public async Task PlaceAsync()
            {
                var variant = await features.GetVariantAsync("checkout-flow");
                if (variant.Name == "wizard") { System.Console.WriteLine("wizard"); }
            }
        }
        """);

    [Fact]
    public Task Method_FeatureManagementIsEnabled_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureManager features)
        {
            public async Task PlaceAsync()
            {
                if (await features.IsEnabledAsync("NewCheckout")) { System.Console.WriteLine("new"); }
            }
        }
        """);

    [Fact]
    public Task Method_LaunchDarklyBoolVariation_NoDiagnostic() => Verify("""
        using LaunchDarkly.Sdk;
        using LaunchDarkly.Sdk.Server.Interfaces;
        public class Checkout(ILdClient client)
        {
            public void Place(Context user)
            {
                if (client.BoolVariation("new-checkout", user)) { System.Console.WriteLine("new"); }
            }
        }
        """);

    [Fact]
    public Task Method_FeatureGateOnMethod_NoDiagnostic() => Verify("""
        public class OrdersController
        {
            [FeatureGate("refunds")]
            public void Refund() { System.Console.WriteLine("new"); }
        }
        """);

    [Fact]
    public Task Method_FeatureGateOnClass_NoDiagnostic() => Verify("""
        [FeatureGate("refunds")]
        public class RefundsController
        {
            public void Refund() { System.Console.WriteLine("new"); }
            public void Cancel() { System.Console.WriteLine("new"); }
        }
        """);

    [Fact]
    public Task Action_NoGate_ReportsAsAction() => KS1001Verifier.VerifyAllNewAsync(Usings + """
        using Microsoft.AspNetCore.Mvc;
        [ApiController]
        public class RefundsController : ControllerBase
        {
            [HttpPost("refund")]
            public object Refund() => Ok();
        }
        """, null, Microsoft.CodeAnalysis.Testing.DiagnosticResult.CompilerWarning("KS1001")
            .WithSpan(KS1001Verifier.SourcePath, 12, 19, 12, 25)
            .WithSpan(KS1001Verifier.SourcePath, 12, 28, 12, 35)
            .WithArguments("Action 'RefundsController.Refund'"));

    [Fact]
    public Task PrivateMethod_OnlyCalledUnderFlag_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    ApplyDiscount();
                }
            }

            private void ApplyDiscount() { System.Console.WriteLine("new"); }
        }
        """);

    [Fact]
    public Task PrivateMethod_AlsoCalledWithoutFlag_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    ApplyDiscount();
                }
            }

            public void {|KS1001:Preview|}() => ApplyDiscount();

            private void {|KS1001:ApplyDiscount|}() { System.Console.WriteLine("new"); }
        }
        """);

    [Fact]
    public Task PrivateImplementationOfInterface_CalledDirectlyUnderFlag_Reports() => Verify("""
        public interface IDiscounts
        {
            void Apply();
        }

        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    new Discounts().Apply();
                }
            }

            // Calls through IDiscounts run it too, and they do not name this class: its callers cannot guard it.
            private sealed class Discounts : IDiscounts
            {
                public void {|KS1001:Apply|}() { System.Console.WriteLine("new"); }
            }
        }
        """);

    [Fact]
    public Task PrivateOverride_CalledDirectlyUnderFlag_Reports() => Verify("""
        public abstract class Discount
        {
            public abstract void Apply();
        }

        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    new Seasonal().Apply();
                }
            }

            private sealed class Seasonal : Discount
            {
                public override void {|KS1001:Apply|}() { System.Console.WriteLine("new"); }
            }
        }
        """);

    [Fact]
    public Task PublicMethod_OnlyCalledUnderFlag_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    ApplyDiscount();
                }
            }

            public void {|KS1001:ApplyDiscount|}() { System.Console.WriteLine("callable from anywhere"); }
        }
        """);

    [Fact]
    public Task PrivateMethod_FollowCallsOff_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    ApplyDiscount();
                }
            }

            private void {|KS1001:ApplyDiscount|}() { System.Console.WriteLine("new"); }
        }
        """, "killswitch.follow_calls = false");

    [Fact]
    public Task PrivateMethod_GuardedInsideAndCalledWithoutFlag_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public void {|KS1001:Place|}() => _ = ApplyDiscountAsync();

            private async Task ApplyDiscountAsync()
            {
                if (await flags.GetBooleanValueAsync("new-discount", false))
                {
                    System.Console.WriteLine("new");
                }
            }
        }
        """);

    [Fact]
    public Task PrivateMethod_CalledOnlyFromHelperCalledUnderFlag_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    ApplyDiscount();
                }
            }

            private void ApplyDiscount()
            {
                System.Console.WriteLine("new");
                Audit();
            }

            private void Audit() => System.Console.WriteLine("audited");
        }
        """);

    [Fact]
    public Task PrivateMethod_CalledOnlyFromUnguardedHelper_ReportsBoth() => Verify("""
        public class Checkout
        {
            public void {|KS1001:Place|}() => ApplyDiscount();

            private void {|KS1001:ApplyDiscount|}()
            {
                System.Console.WriteLine("new");
                Audit();
            }

            private void {|KS1001:Audit|}() => System.Console.WriteLine("audited");
        }
        """);

    [Fact]
    public Task Method_NoFlagCheckBehaviourAfterGuardClause_Reports() => Verify("""
        public class Checkout
        {
            public void {|KS1001:Place|}(string? name)
            {
                if (name is null)
                {
                    return;
                }

                System.Console.WriteLine(name);
            }
        }
        """);

    [Fact]
    public Task Method_NoFlagCheckBehaviourOnlyInUnreachableCode_NoDiagnostic() => Verify("""
        public class Checkout
        {
            public int Place()
            {
                return 1;
                System.Console.WriteLine("never runs");
            }
        }
        """);

    [Fact]
    public Task PrivateMethod_NameAlsoInCommentStringAndLongerName_OnlyTheCallCounts() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task {|KS1001:PlaceAsync|}()
            {
                // ApplyDiscount() is only called under the flag.
                System.Console.WriteLine("ApplyDiscount()");
                ApplyDiscountLater();
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    ApplyDiscount();
                }
            }

            private void ApplyDiscount() { System.Console.WriteLine("new"); }

            private static void ApplyDiscountLater() { }
        }
        """);

    [Fact]
    public Task PrivateMethod_CalledWithoutFlagThroughVerbatimName_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    ApplyDiscount();
                }
            }

            public void {|KS1001:Preview|}() => @ApplyDiscount();

            private void {|KS1001:ApplyDiscount|}() { System.Console.WriteLine("new"); }
        }
        """);

    [Fact]
    public Task PrivateMethod_CalledWithoutFlagThroughUnicodeEscapedName_Reports() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    ApplyDiscount();
                }
            }

            public void {|KS1001:Preview|}() => Appl\u0079Discount();

            private void {|KS1001:ApplyDiscount|}() { System.Console.WriteLine("new"); }
        }
        """);

    [Fact]
    public Task Method_NoFlagCheckOnlyArithmeticInLoop_NoDiagnostic() => Verify("""
        public class Checkout
        {
            public int Checksum(string text)
            {
                var hash = 17;
                for (var i = 0; i < text.Length; i++)
                {
                    hash = unchecked((hash * 31) + text[i]);
                }

                return hash;
            }
        }
        """);

    [Fact]
    public Task Method_NoFlagCheckForeachOverList_Reports() => Verify("""
        public class Checkout
        {
            public int {|KS1001:Sum|}(System.Collections.Generic.List<int> items)
            {
                var sum = 0;
                foreach (var item in items)
                {
                    sum += item;
                }

                return sum;
            }
        }
        """);

    [Fact]
    public Task LocalFunction_OnlyCalledUnderFlag_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    Apply();
                }

                void Apply() => System.Console.WriteLine("new");
            }
        }
        """);

    [Fact]
    public Task Lambda_CreatedUnderFlag_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync(System.Collections.Generic.List<int> items)
            {
                if (await flags.GetBooleanValueAsync("new-checkout", false))
                {
                    items.ForEach(i => System.Console.WriteLine(i));
                }
            }
        }
        """);

    [Fact]
    public Task GuardMethodFromEditorConfig_NoDiagnostic() => Verify("""
        namespace Shop
        {
            public static class Flags { public static bool IsOn(string key) => key.Length > 0; }
            public class Checkout
            {
                public void Place()
                {
                    if (Flags.IsOn("new-checkout")) { System.Console.WriteLine("new"); }
                }
            }
        }
        """.Replace("public static bool IsOn(string key) => key.Length > 0;", "[NoFeatureFlag(\"guard plumbing\")] public static bool IsOn(string key) => key.Length > 0;")
        + "\n[System.AttributeUsage(System.AttributeTargets.All)] public sealed class NoFeatureFlagAttribute(string reason) : System.Attribute { public string Reason { get; } = reason; }",
        "killswitch.guard_methods = Shop.Flags.IsOn");

    [Fact]
    public Task GuardAttributeOnWrapper_NoDiagnostic() => Verify("""
        [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class FeatureFlagGuardAttribute : System.Attribute { }
        public class Checkout
        {
            [FeatureFlagGuard] private static bool {|KS1001:NewCheckoutOn|}() => System.Environment.GetEnvironmentVariable("NEW_CHECKOUT") == "1";
            public void Place()
            {
                if (NewCheckoutOn()) { System.Console.WriteLine("new"); }
            }
        }
        """);

    [Fact]
    public Task WrapperReturningFlagEvaluation_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            private Task<bool> NewCheckoutOn() => flags.GetBooleanValueAsync("new-checkout", false);
            public async Task PlaceAsync()
            {
                if (await NewCheckoutOn()) { System.Console.WriteLine("new"); }
            }
        }
        """);

    [Fact]
    public Task OptOutAttribute_NoDiagnostic() => Verify("""
        [System.AttributeUsage(System.AttributeTargets.All)] public sealed class NoFeatureFlagAttribute(string reason) : System.Attribute { public string Reason { get; } = reason; }
        public class Health
        {
            [NoFeatureFlag("operational endpoint, always on")]
            public void Check() { System.Console.WriteLine("ok"); }
        }
        """);

    [Fact]
    public Task OptOutComment_WithReason_NoDiagnostic() => Verify("""
        public class Health
        {
            // killswitch: no-flag operational endpoint, always on
            public void Check() { System.Console.WriteLine("ok"); }
        }
        """);

    [Fact]
    public Task OptOutComment_WithoutReason_Reports() => Verify("""
        public class Health
        {
            // killswitch: no-flag
            public void {|KS1001:Check|}() { System.Console.WriteLine("ok"); }
        }
        """);

    [Fact]
    public Task OptOutComment_Spellings_OnlyWithAReason() => Verify("""
        public class Health
        {
            /* killswitch:no-flag	probe, always on */
            public void Live() { System.Console.WriteLine("ok"); }
            // see killswitch:   no-flag   readiness
            public void Ready() { System.Console.WriteLine("ok"); }
            // killswitch: no-flagged on purpose
            public void {|KS1001:Flagged|}() { System.Console.WriteLine("ok"); }
            // killswitch: no-flag   
            public void {|KS1001:Blank|}() { System.Console.WriteLine("ok"); }
            // killswitch no-flag reason
            public void {|KS1001:NoColon|}() { System.Console.WriteLine("ok"); }
        }
        """);

    [Fact]
    public Task CatchInsideGuardedTry_NoDiagnostic() => Verify("""
        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync()
            {
                if (!await flags.GetBooleanValueAsync("new-checkout", false)) return;
                try { System.Console.WriteLine("new"); }
                catch (System.IO.IOException e) { System.Console.WriteLine(e.Message); }
                finally { System.Console.WriteLine("done"); }
            }
        }
        """);

    [Fact]
    public Task MethodWithoutBehaviour_NoDiagnostic() => Verify("""
        public class Order
        {
            private readonly int _id;
            public Order(int id) { _id = id; }
            public int Id => _id;
            public int Twice() => _id * 2;
        }
        """);

    [Fact]
    public Task Endpoint_HandlerWithEarlyExitGuard_NoDiagnostic() => Verify("""
        public static class Routes
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/new-guarded", async (IFeatureClient f) =>
                {
                    if (!await f.GetBooleanValueAsync("new-guarded", false)) return Results.NotFound();
                    return Results.Ok(System.DateTime.UtcNow.ToString());
                });
            }
        }
        """.Replace("public static void Map(", "[NoFeatureFlag(\"route table\")] public static void Map(") + """

        [System.AttributeUsage(System.AttributeTargets.All)] public sealed class NoFeatureFlagAttribute(string reason) : System.Attribute { }
        """);

    [Fact]
    public Task Endpoint_TopLevel_GuardedAndUnguarded_ReportsOnlyUnguarded() => VerifyProgram("""
        var app = new WebApplication();
        app.MapGet("/new-guarded", async (IFeatureClient f) =>
        {
            if (!await f.GetBooleanValueAsync("new-guarded", false)) return Results.NotFound();
            return Results.Ok("guarded");
        });
        app.{|KS1001:MapGet("/new-unguarded"|}, () => Results.Ok("unguarded"));
        app.MapPost("/gated", () => Results.Ok("gated")).WithFeatureGate("gated");
        app.Run();
        """);

    [Fact]
    public Task Endpoint_RegisteredUnderFlag_NoDiagnostic() => VerifyProgram("""
        var app = new WebApplication();
        IFeatureClient flags = Api.Instance.GetClient();
        if (await flags.GetBooleanValueAsync("beta-routes", false))
        {
            app.MapGet("/beta", () => Results.Ok("beta"));
        }
        app.Run();
        """);
}
