using System.Collections.Immutable;
using Killswitch.Analyzers.Configuration;
using Killswitch.Analyzers.Guards;
using Killswitch.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Tests.Guards;

/// <summary>
/// The graph-free proof of the common guarded shapes must agree with the control-flow graph's dataflow: every region
/// it proves guarded the graph finds guarded, and each shape is pinned beside look-alikes it must not prove (the flag
/// evaluated but not in the condition, the guard on the other branch, <c>||</c>, ...). The region is marked
/// <c>/*[*/ ... /*]*/</c> in a method <c>M</c>.
/// </summary>
public class LexicalGuardsTests
{
    public static TheoryData<string, string, bool, bool> Shapes => new()
    {
        // name, body of M, proven without a graph, guarded by the graph
        { "inside awaited flag condition", """
            if (await flags.GetBooleanValueAsync("k", false))
            {
                /*[*/System.Console.WriteLine("new");/*]*/
            }
            return 1;
            """, true, true },
        { "whole body: guarded branch, behaviour-free fallback", """
            /*[*/if (await flags.GetBooleanValueAsync("k", false, cancellationToken: default).ConfigureAwait(false))
            {
                var score = 0;
                foreach (var c in text) { score += c; }
                return score;
            }

            return text == null ? 0 : text.Length;/*]*/
            """, true, true },
        { "after early return on flag off", """
            if (!await features.IsEnabledAsync("k")) return 0;
            /*[*/System.Console.WriteLine("new");/*]*/
            return 1;
            """, true, true },
        { "whole body: early throw with a value, then behaviour", """
            /*[*/if (!await flags.GetBooleanValueAsync("k", false))
                throw new System.NotSupportedException("k is off");
            System.Console.WriteLine("new");
            return 1;/*]*/
            """, true, true },
        { "else of a negated flag", """
            if (!await flags.GetBooleanValueAsync("k", false)) { return 0; }
            else { /*[*/System.Console.WriteLine("new");/*]*/ }
            return 1;
            """, true, true },
        { "after continue on flag off in a loop", """
            for (var i = 0; i < 3; i++)
            {
                if (!await flags.GetBooleanValueAsync("k", false)) continue;
                /*[*/System.Console.WriteLine(i);/*]*/
            }
            return 1;
            """, true, true },
        { "blocking flag evaluation in the condition", """
            if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult())
            {
                /*[*/System.Console.WriteLine("new");/*]*/
            }
            return 1;
            """, true, true },
        { "inside a lambda created under the flag", """
            if (await flags.GetBooleanValueAsync("k", false))
            {
                System.Action run = () => { /*[*/System.Console.WriteLine("new");/*]*/ };
                run();
            }
            return 1;
            """, true, true },
        { "flag evaluated but not in the condition", """
            var on = await flags.GetBooleanValueAsync("k", false);
            if (text.Length > 0)
            {
                /*[*/System.Console.WriteLine(on);/*]*/
            }
            return 1;
            """, false, false },
        { "guard on the other branch", """
            if (await flags.GetBooleanValueAsync("k", false)) { return 0; }
            else { /*[*/System.Console.WriteLine("old");/*]*/ }
            return 1;
            """, false, false },
        { "flag or other condition", """
            if (text.Length > 0 || await flags.GetBooleanValueAsync("k", false))
            {
                /*[*/System.Console.WriteLine("new");/*]*/
            }
            return 1;
            """, false, false },
        { "early exit that falls through", """
            if (!await flags.GetBooleanValueAsync("k", false)) { System.Console.WriteLine("off"); }
            /*[*/System.Console.WriteLine("new");/*]*/
            return 1;
            """, false, false },
        { "whole body: behaviour after the guarded branch", """
            /*[*/if (await flags.GetBooleanValueAsync("k", false))
            {
                System.Console.WriteLine("new");
            }

            System.Console.WriteLine("always");
            return 1;/*]*/
            """, false, false },
        { "whole body: behaviour in the flag-off exit block", """
            /*[*/if (!await flags.GetBooleanValueAsync("k", false))
            {
                System.Console.WriteLine("off");
                return 0;
            }

            System.Console.WriteLine("new");
            return 1;/*]*/
            """, false, false },
        { "whole body: blocking evaluation is behaviour to the dataflow", """
            /*[*/if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult())
            {
                System.Console.WriteLine("new");
            }
            return 1;/*]*/
            """, false, false },
        { "flag and other condition (left to the graph)", """
            if (text.Length > 0 && await flags.GetBooleanValueAsync("k", false))
            {
                /*[*/System.Console.WriteLine("new");/*]*/
            }
            return 1;
            """, false, true },
        { "flag in a local (left to the graph)", """
            var on = await flags.GetBooleanValueAsync("k", false);
            if (on)
            {
                /*[*/System.Console.WriteLine("new");/*]*/
            }
            return 1;
            """, false, true },
        { "member with a label (left to the graph)", """
            var tries = 0;
            retry:
            tries++;
            if (await flags.GetBooleanValueAsync("k", false))
            {
                /*[*/System.Console.WriteLine("new");/*]*/
            }
            if (tries < 2) goto retry;
            return 1;
            """, false, true },
        { "whole body: early exit whose value branches", """
            /*[*/if (!await flags.GetBooleanValueAsync("k", false)) return text?.GetHashCode() ?? 0;
            System.Console.WriteLine("new");
            return 1;/*]*/
            """, false, false },
        { "whole body: foreach outside the guard (left to the graph)", """
            /*[*/foreach (var c in text) { }
            if (await flags.GetBooleanValueAsync("k", false))
            {
                System.Console.WriteLine("new");
            }
            return 1;/*]*/
            """, false, false },

        // Switches over a flag's variant: every section is entered through a comparison of the variant.
        { "section of a switch on a string flag's local", """
            var flow = await flags.GetStringValueAsync("k", "classic");
            switch (flow)
            {
                case "wizard":
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
                default:
                    break;
            }
            return 1;
            """, true, true },
        { "default section of a switch on a string flag's local", """
            var flow = await flags.GetStringValueAsync("k", "classic", cancellationToken: default).ConfigureAwait(false);
            switch (flow)
            {
                case "wizard":
                    break;
                default:
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, true, true },
        { "whole switch on a string flag evaluated in it", """
            /*[*/switch (await flags.GetStringValueAsync("k", "classic"))
            {
                case "wizard":
                case "classic":
                    System.Console.WriteLine("new");
                    return 2;
                default:
                    System.Console.WriteLine("other");
                    break;
            }/*]*/
            return 1;
            """, true, true },
        { "switch on a string flag's local written twice (look-alike)", """
            var flow = await flags.GetStringValueAsync("k", "classic");
            if (text.Length > 3) { flow = "classic"; }
            switch (flow)
            {
                case "wizard":
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, false, false },
        { "switch on a string flag's local with only a default (look-alike)", """
            var flow = await flags.GetStringValueAsync("k", "classic");
            switch (flow)
            {
                default:
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, false, false },
        { "switch on a local initialised from another local (left to the graph)", """
            var key = "k";
            var flow = await flags.GetStringValueAsync(key, "classic");
            switch (flow)
            {
                case "wizard":
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, false, true },
        { "switch with a pattern label (left to the graph)", """
            var flow = await flags.GetStringValueAsync("k", "classic");
            switch (flow)
            {
                case "wizard" or "beta":
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, false, true },
        { "switch on a string that is no flag's (look-alike)", """
            var flow = text.Trim();
            switch (flow)
            {
                case "wizard":
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, false, false },
    };

    public static TheoryData<string, string, bool, bool> UnguardedShapes => new()
    {
        // name, body of M, proven unguarded without a graph, guarded by the graph
        { "new if whose condition blocks on a flag evaluation", """
            /*[*/if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult())
            {
                System.Console.WriteLine("new");
            }/*]*/
            return 1;
            """, true, false },
        { "behaviour first, flag check after", """
            /*[*/System.Console.WriteLine("new");/*]*/
            if (await flags.GetBooleanValueAsync("k", false)) { return 0; }
            return 1;
            """, true, false },
        { "else-if on a blocking flag evaluation after a flag-free condition", """
            if (text.Length > 3) { text = text.Trim(); }
            /*[*/else if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult()) { System.Console.WriteLine("new"); }/*]*/
            return 1;
            """, true, false },
        { "new if blocking on a flag of the client the API hands out", """
            /*[*/if (global::OpenFeature.Api.Instance.GetClient().GetBooleanValueAsync("k", false).GetAwaiter().GetResult())
            {
                System.Console.WriteLine("new");
            }/*]*/
            return 1;
            """, true, false },
        { "else-if blocking on a flag of the client the API hands out, after an early return", """
            if (text.Length == 0)
                return 0;
            if (text.Length > 3) { text = text.Trim(); }
            /*[*/else if (global::OpenFeature.Api.Instance.GetClient().GetBooleanValueAsync("k", false).GetAwaiter().GetResult()) { System.Console.WriteLine("new"); }/*]*/
            return 1;
            """, true, false },
        { "else-if after a condition on locals that hold no flag value", """
            var length = text.Length;
            var limit = length * 2;
            limit += 1;
            if (limit > 3 && length < 10) { text = text.Trim(); }
            /*[*/else if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult()) { System.Console.WriteLine("new"); }/*]*/
            return 1;
            """, true, false },
        { "else-if after a condition on a local holding a flag (left to the graph)", """
            var on = await flags.GetBooleanValueAsync("other", false);
            if (on) { text = text.Trim(); }
            /*[*/else if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult()) { System.Console.WriteLine("new"); }/*]*/
            return 1;
            """, false, false },
        { "else-if after a condition on a copy of a flag local (left to the graph)", """
            var on = await flags.GetBooleanValueAsync("other", false);
            var copy = false;
            copy = on;
            if (copy) { text = text.Trim(); }
            /*[*/else if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult()) { System.Console.WriteLine("new"); }/*]*/
            return 1;
            """, false, false },
        { "else-if after a condition on a declared local a call fills through out", """
            int n;
            int.TryParse(text, out n);
            if (n > 0) { text = text.Trim(); }
            /*[*/else if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult()) { System.Console.WriteLine("new"); }/*]*/
            return 1;
            """, true, false },
        { "else-if after a condition on an out var (left to the graph)", """
            int.TryParse(text, out var n);
            if (n > 0) { text = text.Trim(); }
            /*[*/else if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult()) { System.Console.WriteLine("new"); }/*]*/
            return 1;
            """, false, false },
        { "else-if on a blocking flag evaluation in a for loop's body", """
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == ' ') { continue; }
                /*[*/else if (flags.GetBooleanValueAsync("k", false).GetAwaiter().GetResult()) { System.Console.WriteLine(i); }/*]*/
            }
            return 1;
            """, true, false },
        { "behaviour in while and foreach bodies, and a do body", """
            var n = 0;
            while (n < text.Length)
            {
                foreach (var c in text)
                {
                    do { /*[*/System.Console.WriteLine(c);/*]*/ } while (n++ < 0);
                }
            }
            return 1;
            """, true, false },
        { "behaviour in a loop whose condition reads a flag (left to the graph)", """
            var limit = await flags.GetIntegerValueAsync("k", 0);
            for (var i = 0; i < limit; i++)
            {
                /*[*/System.Console.WriteLine(i);/*]*/
            }
            return 1;
            """, false, false },
        { "behaviour in a foreach over a flag's value (left to the graph)", """
            var mode = await flags.GetStringValueAsync("k", "a");
            foreach (var c in mode)
            {
                /*[*/System.Console.WriteLine(c);/*]*/
            }
            return 1;
            """, false, true },
        { "behaviour in a loop after a flag check in its body (left to the graph)", """
            for (var i = 0; i < text.Length; i++)
            {
                if (!await flags.GetBooleanValueAsync("k", false)) continue;
                /*[*/System.Console.WriteLine(i);/*]*/
            }
            return 1;
            """, false, true },
        { "arithmetic, indexing and a range in the behaviour's arguments, compound assignment", """
            var total = 0;
            total += System.Math.Max(text.Length - 3, 0);
            /*[*/System.Console.WriteLine(text[..1] + text[total % 2] + new int[1].Length);/*]*/
            return total;
            """, true, false },
        { "a call taking a lambda (its body runs in a graph of its own)", """
            /*[*/System.Array.ForEach(new int[3], i => System.Console.WriteLine(i));/*]*/
            return 1;
            """, true, false },
        { "behaviour in a switch section on a value that is no flag's", """
            switch (text.Length)
            {
                case 0: return 0;
                case 1:
                    System.Console.WriteLine("one");
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
                default: break;
            }
            return 1;
            """, true, false },
        { "behaviour in a switch section on a flag's value (left to the graph)", """
            switch (await flags.GetStringValueAsync("k", "a"))
            {
                case "b":
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, false, true },
        { "behaviour in a switch section on a local holding a flag's value (left to the graph)", """
            var mode = await flags.GetStringValueAsync("k", "a");
            switch (mode)
            {
                case "b":
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, false, true },
        { "behaviour after a flag check earlier in its switch section (left to the graph)", """
            switch (text.Length)
            {
                case 1:
                    if (!await flags.GetBooleanValueAsync("k", false)) break;
                    /*[*/System.Console.WriteLine("new");/*]*/
                    break;
            }
            return 1;
            """, false, true },
        { "behaviour after an early exit on the flag", """
            if (!await flags.GetBooleanValueAsync("k", false)) return 0;
            /*[*/System.Console.WriteLine("new");/*]*/
            return 1;
            """, false, true },
        { "behaviour inside the flag branch", """
            if (await flags.GetBooleanValueAsync("k", false))
            {
                /*[*/System.Console.WriteLine("new");/*]*/
            }
            return 1;
            """, false, true },
        { "a call inside the flag evaluation's arguments", """
            /*[*/if (await flags.GetBooleanValueAsync(text.Trim(), false))
            {
                System.Console.WriteLine("new");
            }/*]*/
            return 1;
            """, false, true },
        { "behaviour after a flag-controlled throw expression", """
            var n = await flags.GetBooleanValueAsync("k", false) ? 1 : throw new System.InvalidOperationException();
            /*[*/System.Console.WriteLine(n);/*]*/
            return 1;
            """, false, true },
        { "behaviour under a condition on a local that holds no flag value", """
            var n = text.Length;
            if (n > 0) { /*[*/System.Console.WriteLine("new");/*]*/ }
            if (await flags.GetBooleanValueAsync("k", false)) { return 0; }
            return 1;
            """, true, false },
        { "behaviour after a flag kept in a local (left to the graph)", """
            var on = await flags.GetBooleanValueAsync("k", false);
            /*[*/System.Console.WriteLine(on);/*]*/
            return 1;
            """, false, false },
    };

    [Theory]
    [MemberData(nameof(UnguardedShapes))]
    public void HasCertainlyUnguardedBehaviour_Shape_AgreesWithGraph(string name, string body, bool proven, bool guardedByGraph)
    {
        var (sut, evaluator, root, model, region) = Prepare(body);
        var bodyOperation = model.GetOperation(root)!;

        var lexical = sut.HasCertainlyUnguardedBehaviour(bodyOperation, root, region, model, CancellationToken.None);
        var graph = ControlFlowGraph.Create(root, model)!;
        var flow = evaluator.Locate(evaluator.Analyze(graph, entryGuarded: false, parent: null), region);
        var graphAnswer = evaluator.IsRegionGuarded(flow, region, out _);

        Assert.True(graphAnswer == guardedByGraph, $"{name}: the graph says {(graphAnswer ? "guarded" : "unguarded")}");
        Assert.True(lexical == proven, $"{name}: the graph-free proof says {(lexical ? "unguarded" : "not proven")}");
        Assert.True(!lexical || !graphAnswer, $"{name}: proven unguarded without the graph but the graph disagrees");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void IsRegionGuarded_Shape_AgreesWithGraph(string name, string body, bool proven, bool guardedByGraph)
    {
        var (sut, evaluator, root, model, region) = Prepare(body);
        var bodyOperation = model.GetOperation(root)!;

        var lexical = sut.IsRegionGuarded(bodyOperation, root, region);
        var graph = ControlFlowGraph.Create(root, model)!;
        var flow = evaluator.Locate(evaluator.Analyze(graph, entryGuarded: false, parent: null), region);
        var graphAnswer = evaluator.IsRegionGuarded(flow, region, out _);

        Assert.True(graphAnswer == guardedByGraph, $"{name}: the graph says {(graphAnswer ? "guarded" : "unguarded")}");
        Assert.True(lexical == proven, $"{name}: the graph-free proof says {(lexical ? "guarded" : "not proven")}");
        Assert.True(!lexical || graphAnswer, $"{name}: proven guarded without the graph but the graph disagrees");
    }

    private static (LexicalGuards Sut, GuardEvaluator Evaluator, MethodDeclarationSyntax Root, SemanticModel Model, TextSpan Region) Prepare(string body)
    {
        var source = $$"""
            using System.Threading.Tasks;
            using OpenFeature;
            using Microsoft.FeatureManagement;
            public class C(IFeatureClient flags, IFeatureManager features)
            {
                public async Task<int> M(string text)
                {
            {{body}}
                }
            }
            """;
        var start = source.IndexOf("/*[*/", StringComparison.Ordinal) + "/*[*/".Length;
        var end = source.IndexOf("/*]*/", StringComparison.Ordinal);
        var trees = new[] { source, Stubs.OpenFeature, Stubs.FeatureManagement }.Select(text => CSharpSyntaxTree.ParseText(text));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Shapes", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var tree = compilation.SyntaxTrees.First();
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "M");
        var api = new FlagApi(KillswitchOptions.Read(new EmptyOptions(), compilation));
        var evaluator = new GuardEvaluator(api, compilation, CancellationToken.None);
        return (new LexicalGuards(evaluator), evaluator, root, model, TextSpan.FromBounds(start, end));
    }

    private sealed class EmptyOptions : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            value = string.Empty;
            return false;
        }

        public override IEnumerable<string> Keys => ImmutableArray<string>.Empty;
    }
}
