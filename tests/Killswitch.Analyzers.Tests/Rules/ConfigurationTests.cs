using Killswitch.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Killswitch.Analyzers.Tests.Rules;

/// <summary>Bad configuration gives one diagnostic naming the key or file and the expected form (KS0001-KS0003),
/// and KS1001 keeps working on the rest.</summary>
public class ConfigurationTests
{
    private const string NewMethod = "public class Checkout { public void {|KS1001:Refund|}(int total) => System.Console.WriteLine(total); }";

    [Fact]
    public Task UnknownOption_ReportsKeyWithSuggestion_AndKeepsAnalyzing()
    {
        var test = KS1001Verifier.CreateTest(NewMethod, KS1001Verifier.AllNew, editorConfig: "killswitch.guard_method = Shop.Flags.IsOn");
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("KS0001").WithArguments(
            "'killswitch.guard_method' is not a Killswitch option; did you mean 'killswitch.guard_methods'? Known keys: killswitch.guard_methods, killswitch.guard_attributes, killswitch.no_flag_attributes, killswitch.new_code_scope, killswitch.follow_calls."));
        return test.RunAsync();
    }

    [Fact]
    public Task GuardMethodNamingNoSymbol_ReportsExpectedForm()
    {
        var test = KS1001Verifier.CreateTest(NewMethod, KS1001Verifier.AllNew, editorConfig: "killswitch.guard_methods = Shop.Flags.IsOn");
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("KS0001").WithArguments(
            "killswitch.guard_methods: 'Shop.Flags.IsOn' names no method in this compilation or its references; expected 'Namespace.Type.Method' with the type's metadata name (nested types as 'Outer+Inner')."));
        return test.RunAsync();
    }

    [Fact]
    public Task GuardMethodWithSignature_ReportsExpectedForm()
    {
        var test = KS1001Verifier.CreateTest(NewMethod, KS1001Verifier.AllNew, editorConfig: "killswitch.guard_methods = Flags.IsOn(string)");
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("KS0001").WithArguments(
            "killswitch.guard_methods: 'Flags.IsOn(string)' is not of the form 'Namespace.Type.Method' (all overloads of the method count)."));
        return test.RunAsync();
    }

    [Fact]
    public Task MalformedScopeAndBoolean_ReportEach()
    {
        var test = KS1001Verifier.CreateTest(NewMethod.Replace("{|KS1001:Refund|}", "Refund"), newCode: null,
            editorConfig: "killswitch.new_code_scope = everything\nkillswitch.follow_calls = maybe");
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("KS0001").WithArguments("killswitch.new_code_scope: 'everything' is not one of changed, all, none."));
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("KS0001").WithArguments("killswitch.follow_calls: 'maybe' is not true or false."));
        return test.RunAsync();
    }

    [Fact]
    public Task MalformedNewCodeFile_ReportsFileAndLine_AndStaysQuiet()
    {
        var test = KS1001Verifier.CreateTest(NewMethod.Replace("{|KS1001:Refund|}", "Refund"), "killswitch-newcode\t1\nscope\tSometimes\n");
        test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("KS0003").WithArguments(
            KS1001Verifier.NewCodePath, "line 2: scope 'Sometimes' is not one of Changed, All, None"));
        return test.RunAsync();
    }

    [Fact]
    public Task Baseline_SuppressesListedFindingOnly()
    {
        var test = KS1001Verifier.CreateTest(
            """
            namespace Shop
            {
                public class Checkout
                {
                    public void Refund(int total) => System.Console.WriteLine(total);
                    public void {|KS1001:Cancel|}() => System.Console.WriteLine("cancel");
                }
            }
            """,
            KS1001Verifier.AllNew);
        test.TestState.AdditionalFiles.Add(("/0/team.killswitch-baseline", "# accepted when the gate was adopted\nKS1001 Shop.Checkout.Refund(int)\n"));
        return test.RunAsync();
    }

    [Fact]
    public Task MalformedBaselineLine_ReportsLine_AndAppliesTheRest()
    {
        var test = KS1001Verifier.CreateTest(
            "namespace Shop { public class Checkout { public void Refund(int total) => System.Console.WriteLine(total); } }",
            KS1001Verifier.AllNew);
        test.TestState.AdditionalFiles.Add(("/0/team.killswitch-baseline", "KS1001 Shop.Checkout.Refund(int)\nRefund please\n"));
        test.ExpectedDiagnostics.Add(MalformedBaselineLine(2, 13));
        return test.RunAsync();
    }

    [Fact]
    public Task BaselineEntries_RuleIdWhiteSpaceAndKey_OthersReported()
    {
        var test = KS1001Verifier.CreateTest(
            "namespace Shop { public class Checkout { public void Refund(int total) => System.Console.WriteLine(total); public void {|KS1001:Cancel|}() => System.Console.WriteLine(0); } }",
            KS1001Verifier.AllNew);
        test.TestState.AdditionalFiles.Add(("/0/team.killswitch-baseline", "  KS1001\t  Shop.Checkout.Refund(int)  \nKS10010 Shop.Checkout.Cancel()\nKS1001\nks1001 Shop.Checkout.Cancel()\n"));
        test.ExpectedDiagnostics.AddRange(new[] { MalformedBaselineLine(2, 30), MalformedBaselineLine(3, 6), MalformedBaselineLine(4, 29) });

        return test.RunAsync();
    }

    /// <summary>KS0002 for a whole line of the team baseline file that is not '&lt;rule ID&gt; &lt;key&gt;'.</summary>
    private static DiagnosticResult MalformedBaselineLine(int line, int length) =>
        DiagnosticResult.CompilerWarning("KS0002").WithSpan("/0/team.killswitch-baseline", line, 1, line, length + 1).WithArguments(
            $"Line {line} of the baseline file '/0/team.killswitch-baseline' is not of the form '<rule ID> <key>' (e.g. 'KS1001 Shop.OrdersController.Refund(int)'); it is ignored. Regenerate the file with -p:KillswitchWriteBaseline=true or fix the line.");
}
