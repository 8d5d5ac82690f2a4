using Killswitch.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Killswitch.Analyzers.Tests.Rules;

/// <summary>
/// KS1001's notion of "new": the file is compared with its base version (as Killswitch.Build hands it over),
/// so only new members, branches, endpoints and added statements count; formatting, comments and renames do not.
/// </summary>
public class UnguardedNewCodeDiffTests
{
    private const string Base = """
        using System;
        using System.Threading.Tasks;
        using OpenFeature;

        public class Checkout(IFeatureClient flags)
        {
            public async Task PlaceAsync(int total)
            {
                Validate(total);
                Console.WriteLine("charged " + total);
                await Task.Yield();
            }

            public string Describe(int kind)
            {
                switch (kind)
                {
                    case 1:
                        return "one";
                    default:
                        return "other";
                }
            }

            public int Risk(int score) => score switch
            {
                > 90 => Escalate(score),
                _ => 0,
            };

            public void Save()
            {
                try
                {
                    Console.WriteLine("save");
                }
                catch (InvalidOperationException)
                {
                    Console.WriteLine("retry");
                }
            }

            private static void Validate(int total) => Console.WriteLine(total);

            private static int Escalate(int score) => score;
        }
        """;

    private static Task Verify(string current, params DiagnosticResult[] expected) =>
        KS1001Verifier.VerifyChangedAsync(Base, current, null, expected);

    [Fact]
    public Task Unchanged_NoDiagnostic() => Verify(Base);

    [Fact]
    public Task FormattingAndComments_NoDiagnostic() => Verify(Base
        .Replace("Validate(total);", "// validate first\n        Validate( total );")
        .Replace("Console.WriteLine(\"charged \" + total);", "Console.WriteLine(\n            \"charged \" + total);"));

    [Fact]
    public Task RenamedMethod_NoDiagnostic() => Verify(Base
        .Replace("Validate(total)", "EnsureValid(total)")
        .Replace("private static void Validate(int total)", "private static void EnsureValid(int total)"));

    [Fact]
    public Task NewMethod_ReportsMethodOnly() => Verify(Base.Replace(
        "    private static void Validate",
        """
            public void {|KS1001:Refund|}(int total)
            {
                Console.WriteLine("refund " + total);
            }

            private static void Validate
        """));

    [Fact]
    public Task NewMethod_MessageNamesMember() => Verify(
        Base.Replace(
            "    private static void Validate",
            """
                public void Refund(int total) => Console.WriteLine("refund " + total);

                private static void Validate
            """),
        DiagnosticResult.CompilerWarning("KS1001").WithSpan(KS1001Verifier.SourcePath, 43, 17, 43, 23)
            .WithSpan(KS1001Verifier.SourcePath, 43, 35, 43, 74)
            .WithArguments("Method 'Checkout.Refund'"));

    [Fact]
    public Task AddedStatementsInExistingMethod_OneDiagnosticForTheRun() => Verify(Base.Replace(
        "        await Task.Yield();",
        """
                {|KS1001:Console.WriteLine("loyalty points");|}
                Console.WriteLine("receipt");
                await Task.Yield();
        """));

    [Fact]
    public Task AddedStatementsBehindNewFlagCheck_NoDiagnostic() => Verify(Base.Replace(
        "        await Task.Yield();",
        """
                if (await flags.GetBooleanValueAsync("loyalty", false))
                {
                    Console.WriteLine("loyalty points");
                }
                await Task.Yield();
        """));

    [Fact]
    public Task AddedAssignmentWithoutCall_NoDiagnostic() => Verify(Base.Replace(
        "        Validate(total);",
        """
                total = total + 1;
                Validate(total);
        """));

    [Fact]
    public Task NewBranchWrappingOldCode_ReportsOnlyTheNewBranch() => Verify(Base.Replace(
        "        Console.WriteLine(\"charged \" + total);",
        """
                {|KS1001:if (total > 100)|}
                {
                    Console.WriteLine("big spender");
                }
                else
                {
                    Console.WriteLine("charged " + total);
                }
        """));

    [Fact]
    public Task NewSwitchSection_ReportsSection() => Verify(Base.Replace(
        "            default:",
        """
                    {|KS1001:case 2:|}
                        return Console.ReadLine() ?? "two";
                    default:
        """));

    [Fact]
    public Task NewSwitchArm_ReportsArm() => Verify(Base.Replace(
        "        _ => 0,",
        """
                {|KS1001:< 10 =>|} Escalate(-score),
                _ => 0,
        """));

    [Fact]
    public Task NewCatchClause_ReportsCatch() => Verify(Base.Replace(
        "        catch (InvalidOperationException)",
        """
                {|KS1001:catch (TimeoutException)|}
                {
                    Console.WriteLine("timed out");
                }
                catch (InvalidOperationException)
        """));

    [Fact]
    public Task NewPrivateHelperCalledOnlyUnderNewFlagCheck_NoDiagnostic() => Verify(Base
        .Replace(
            "        await Task.Yield();",
            """
                    if (await flags.GetBooleanValueAsync("loyalty", false))
                    {
                        AwardPoints(total);
                    }
                    await Task.Yield();
            """)
        .Replace(
            "    private static int Escalate",
            """
                private static void AwardPoints(int total) => Console.WriteLine("points " + total);

                private static int Escalate
            """));

    [Fact]
    public Task NewPrivateHelperAlsoCalledUnguarded_ReportsHelperAndCall() => Verify(Base
        .Replace(
            "        await Task.Yield();",
            """
                    {|KS1001:AwardPoints(total);|}
                    await Task.Yield();
            """)
        .Replace(
            "    private static int Escalate",
            """
                private static void {|KS1001:AwardPoints|}(int total) => Console.WriteLine("points " + total);

                private static int Escalate
            """));

    [Fact]
    public Task DeletedCode_NoDiagnostic() => Verify(Base.Replace("        Validate(total);\n", string.Empty));

    [Fact]
    public Task NewEndpointInExistingProgram_ReportsOnlyTheNewEndpoint()
    {
        const string program = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using OpenFeature;

            var app = new WebApplication();
            app.MapGet("/orders", () => Results.Ok("orders"));
            app.Run();
            """;
        var current = program.Replace(
            "app.Run();",
            """
            app.MapGet("/new-guarded", async (IFeatureClient f) =>
            {
                if (!await f.GetBooleanValueAsync("new-guarded", false)) return Results.NotFound();
                return Results.Ok("guarded");
            });
            app.{|KS1001:MapPost("/orders/{id}/refund"|}, (int id) => Results.Ok(id));
            app.Run();
            """);
        return KS1001Verifier.VerifyChangedAsync(program, current);
    }

    [Fact]
    public Task NewMemberCopyingAnExistingBody_TakenForARename() => Verify(Base.Replace(
        "    private static int Escalate",
        """
            private static void Check(int total) => Console.WriteLine(total);

            private static int Escalate
        """));

    [Fact]
    public Task AddedLineInsideAnOldStatement_SameAnswerAsTheComparison()
    {
        // The added argument line makes the old call new; the added one-line call matches the old call's base text.
        // A file that only gained lines but has a statement across added and old lines is compared with its base.
        const string before = """
            using System;

            public class Ledger
            {
                public void Post(int a, int b, int c)
                {
                    Log(a,
                        c);
                }

                private static void Log(params int[] values) => Console.WriteLine(values.Length);
            }
            """;
        const string after = """
            using System;

            public class Ledger
            {
                public void Post(int a, int b, int c)
                {
                    Log(a, c);
                    {|KS1001:Log(a,|}
                        b,
                        c);
                }

                private static void Log(params int[] values) => Console.WriteLine(values.Length);
            }
            """;
        return KS1001Verifier.VerifyChangedAsync(before, after);
    }

    [Fact]
    public Task OnlyAddedLines_Version2_JudgedWithoutReadingTheBaseText()
    {
        // The base text handed over is deliberately wrong (it already holds the new method): a file that only gained
        // lines is judged from the added lines, so the new method is reported; reading the base text would hide it.
        var current = Base.Replace(
            "    private static void Validate",
            """
                public void {|KS1001:Refund|}(int total)
                {
                    Console.WriteLine("refund " + total);
                }

                private static void Validate
            """);
        var misleadingBase = current.Replace("{|KS1001:Refund|}", "Refund");
        return KS1001Verifier.CreateTest(current, KS1001Verifier.NewCodeVersion2(Base, current), misleadingBase).RunAsync();
    }

    private const string OverloadsBase = """
        using System;

        public class Ledger
        {
            public void Post(int amount)
            {
                Console.WriteLine(amount);
            }

            public void Post(string memo)
            {
                Console.WriteLine(memo);
            }
        }
        """;

    [Fact]
    public Task OnlyAddedLines_OverloadsOfOneArity_JudgedWithoutReadingTheBaseText()
    {
        // Each overload pairs with its own base version (same parameter list), so the shortcut applies: the misleading
        // base text (which already holds the added statement) is not read, and the statement is reported.
        var current = OverloadsBase.Replace(
            "        Console.WriteLine(memo);",
            """
                    Console.WriteLine(memo);
                    {|KS1001:Console.WriteLine("posted");|}
            """);
        var misleadingBase = current.Replace("{|KS1001:Console.WriteLine(\"posted\");|}", "Console.WriteLine(\"posted\");");
        return KS1001Verifier.CreateTest(current, KS1001Verifier.NewCodeVersion2(OverloadsBase, current), misleadingBase).RunAsync();
    }

    [Fact]
    public Task OnlyAddedLines_OverloadsWithTheSameParameterTypes_ComparedWithTheBaseText()
    {
        // Post(int) and Post(ref int) read the same to the comparison ("Post(int)"): it pairs both with the first base
        // overload, so the shortcut must not answer. The base text handed over is misleading (its Post(int) already
        // holds the added statement): the comparison reads it and pairs Post(ref int) with it, so nothing is
        // reported; the shortcut would have reported the statement.
        const string before = """
            using System;

            public class Ledger
            {
                public void Post(int amount)
                {
                    Console.WriteLine(amount);
                }

                public void Post(ref int amount)
                {
                    amount = 0;
                }
            }
            """;
        var current = before.Replace(
            "        amount = 0;",
            """
                    amount = 0;
                    Console.WriteLine("posted");
            """);
        var misleadingBase = before.Replace(
            "        Console.WriteLine(amount);",
            """
                    Console.WriteLine(amount);
                    Console.WriteLine("posted");
            """);
        return KS1001Verifier.CreateTest(current, KS1001Verifier.NewCodeVersion2(before, current), misleadingBase).RunAsync();
    }

    [Fact]
    public Task RemovedLines_Version2_ComparedWithTheBaseText()
    {
        // The same misleading base text with a removed line: the file is compared with it, so nothing is new.
        var current = Base.Replace("        Validate(total);\n", string.Empty).Replace(
            "    private static void Validate",
            """
                public void Refund(int total)
                {
                    Console.WriteLine("refund " + total);
                }

                private static void Validate
            """);
        return KS1001Verifier.CreateTest(current, KS1001Verifier.NewCodeVersion2(Base, current), baseSource: current).RunAsync();
    }

    private const string DerivedBase = """
        using System;
        using OpenFeature;

        public class Wrapper
        {
            public Wrapper(string name) => Console.WriteLine(name);
        }

        public class Document : Wrapper
        {
            private readonly string _name;

            public Document(string name)
                : base(name)
            {
                _name = name;
            }
        }
        """;

    [Fact]
    public Task ConstructorWithInitializer_NewFlaggedBranch_NoDiagnostic() => KS1001Verifier.VerifyChangedAsync(DerivedBase, DerivedBase.Replace(
        "            _name = name;",
        """
                    if (Api.Instance.GetClient().GetBooleanValueAsync("doc", false).GetAwaiter().GetResult())
                    {
                        Console.WriteLine("doc: entered");
                    }
                    _name = name;
        """));

    [Fact]
    public Task ConstructorWithInitializer_AddedStatement_Reported() => KS1001Verifier.VerifyChangedAsync(DerivedBase, DerivedBase.Replace(
        "            _name = name;",
        """
                    {|KS1001:Console.WriteLine("doc: entered");|}
                    _name = name;
        """));

    [Fact]
    public Task GeneratedCodeAttribute_NewMembersInsideNotReported() => KS1001Verifier.VerifyChangedAsync(
        """
        using System;
        using System.CodeDom.Compiler;

        [GeneratedCode("tool", "1.0")]
        public class Proxy
        {
            public void Call() => Console.WriteLine("call");
        }

        public class Handwritten
        {
            public void Run() => Console.WriteLine("run");
        }
        """,
        """
        using System;
        using System.CodeDom.Compiler;

        [GeneratedCode("tool", "1.0")]
        public class Proxy
        {
            public void Call() => Console.WriteLine("call");

            public void Retry() => Console.WriteLine("retry");
        }

        public class Handwritten
        {
            public void Run() => Console.WriteLine("run");

            public void {|KS1001:Stop|}() => Console.WriteLine("stop");
        }
        """);

    [Fact]
    public Task GeneratedCodeAttributeOnMember_AddedStatementNotReported() => KS1001Verifier.VerifyChangedAsync(
        """
        using System;

        public class Proxy
        {
            [System.CodeDom.Compiler.GeneratedCodeAttribute("tool", "1.0")]
            public void Call()
            {
                Console.WriteLine("call");
            }

            public void Run()
            {
                Console.WriteLine("run");
            }
        }
        """,
        """
        using System;

        public class Proxy
        {
            [System.CodeDom.Compiler.GeneratedCodeAttribute("tool", "1.0")]
            public void Call()
            {
                Console.WriteLine("call");
                Console.WriteLine("again");
            }

            public void Run()
            {
                Console.WriteLine("run");
                {|KS1001:Console.WriteLine("again");|}
            }
        }
        """);

    [Fact]
    public Task LineHiddenRegion_NewMemberNotReported() => KS1001Verifier.VerifyChangedAsync(
        """
        using System;

        public class Page
        {
            public void Render() => Console.WriteLine("render");
        }
        """,
        """
        using System;

        public class Page
        {
            public void Render() => Console.WriteLine("render");
        #line hidden
            public void Execute() => Console.WriteLine("execute");
        #line default
            public void {|KS1001:Close|}() => Console.WriteLine("close");
        }
        """);

    [Fact]
    public Task AutoGeneratedFile_ChangedButNotReported() => KS1001Verifier.VerifyChangedAsync(
        """
        // <auto-generated/>
        public class Client
        {
            public void Get() => System.Console.WriteLine("get");
        }
        """,
        """
        // <auto-generated/>
        public class Client
        {
            public void Get() => System.Console.WriteLine("get");

            public void Post() => System.Console.WriteLine("post");
        }
        """);

    [Fact]
    public Task UntrackedFile_EveryUnguardedMemberReported()
    {
        var test = KS1001Verifier.CreateTest(
            """
            public class Loyalty
            {
                public void {|KS1001:Award|}() => System.Console.WriteLine("points");
                public void {|KS1001:Redeem|}() => System.Console.WriteLine("redeem");
                public int Points => 3;
            }
            """,
            $"killswitch-newcode\t1\nscope\tChanged\nfile\t{KS1001Verifier.SourcePath}\nstatus\tuntracked\n");
        return test.RunAsync();
    }

    [Fact]
    public Task FileNotInNewCodeList_NoDiagnostic() => KS1001Verifier.CreateTest(
        "public class Old { public void Run() => System.Console.WriteLine(1); }",
        "killswitch-newcode\t1\nscope\tChanged\nfile\t/0/Other.cs\nstatus\tuntracked\n").RunAsync();

    [Fact]
    public Task ScopeNone_NoDiagnostic() => KS1001Verifier.CreateTest(
        "public class New { public void Run() => System.Console.WriteLine(1); }",
        "killswitch-newcode\t1\nscope\tNone\n").RunAsync();

    [Fact]
    public Task NoNewCodeFile_NoDiagnostic() => KS1001Verifier.CreateTest(
        "public class New { public void Run() => System.Console.WriteLine(1); }",
        newCode: null).RunAsync();

    [Fact]
    public Task EditorConfigScopeAll_WithoutBuildIntegration_Reports() => KS1001Verifier.CreateTest(
        "public class New { public void {|KS1001:Run|}() => System.Console.WriteLine(1); }",
        newCode: null,
        editorConfig: "killswitch.new_code_scope = all").RunAsync();

    [Fact]
    public Task ModifiedFileWithoutBaseText_FallsBackToAddedLines() => KS1001Verifier.CreateTest(
        """
        public class Old
        {
            public void Run()
            {
                System.Console.WriteLine(1);
                {|KS1001:System.Console.WriteLine(2);|}
            }
        }
        """,
        $"killswitch-newcode\t1\nscope\tChanged\nfile\t{KS1001Verifier.SourcePath}\nstatus\tmodified\nadded\t6-6\n").RunAsync();
}
