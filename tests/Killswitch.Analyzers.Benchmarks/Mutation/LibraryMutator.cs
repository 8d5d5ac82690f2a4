using System.Globalization;
using System.Text;
using Killswitch.Analyzers.Benchmarks.Generation;
using Killswitch.Analyzers.Benchmarks.Git;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Benchmarks.Mutation;

/// <summary>
/// Gives a real library a feature branch: in N of its files, new methods (flag-guarded or not), new statements at the
/// start of existing methods and new <c>else if</c> branches behind flags; an OpenFeature stub file; then uncommitted
/// statements in a few more files and one untracked file. Edits are text insertions at syntax positions, so the
/// library's own lines stay as they are and git sees additions. Seeded: the same seed gives the same diff.
/// </summary>
internal static class LibraryMutator
{
    private const string StubPath = "KillswitchBenchmark/OpenFeatureStub.cs";

    /// <summary>Preprocessor symbols of a net10.0 Debug build, so edits land in code the build compiles.</summary>
    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithPreprocessorSymbols(
            new[] { "DEBUG", "TRACE", "NET", "NETCOREAPP", "NET10_0", "NETCOREAPP3_1_OR_GREATER", "NETCOREAPP2_1_OR_GREATER" }
                .Concat(Enumerable.Range(5, 6).Select(v => $"NET{v}_0_OR_GREATER")));

    public static string Mutate(string repository, int fileCount, int seed, string branch)
    {
        var root = Path.GetFullPath(repository);
        var git = new GitRunner(root);
        if (git.Run("status", "--porcelain").Length > 0)
        {
            throw new InvalidOperationException($"{root} has uncommitted changes; mutate starts from a clean base branch.");
        }

        var random = StableRandom.Create(seed, "mutate");
        var candidates = git.Run("ls-files", "--", "*.cs")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Tree: CSharpSyntaxTree.ParseText(SourceText.From(Read(Path.Combine(root, path)).Text), ParseOptions, path)))
            .Where(x => Methods(x.Tree).Any())
            .OrderBy(_ => random.Next())
            .ToList();
        if (candidates.Count < fileCount + 6)
        {
            throw new InvalidOperationException($"{root} has {candidates.Count} C# files with methods; --files {fileCount} needs at least {fileCount + 6}.");
        }

        git.Run("checkout", "--quiet", "-b", branch);
        Directory.CreateDirectory(Path.Combine(root, Path.GetDirectoryName(StubPath)!));
        File.WriteAllText(Path.Combine(root, StubPath), OpenFeatureStub);
        var edits = 0;
        var counter = 0;
        foreach (var (path, tree) in candidates.Take(fileCount))
        {
            edits += Edit(root, path, tree, random, ref counter, statementsOnly: false);
        }

        git.CommitAll($"Feature: flagged changes in {fileCount} files");

        var uncommitted = candidates.Skip(fileCount).Take(5).ToList();
        foreach (var (path, tree) in uncommitted)
        {
            edits += Edit(root, path, tree, random, ref counter, statementsOnly: true);
        }

        var firstDirectory = Path.GetDirectoryName(candidates[0].Path) ?? string.Empty;
        var untracked = Path.Combine(firstDirectory, "FeatureToggleDefaults.cs").Replace('\\', '/');
        File.WriteAllText(Path.Combine(root, untracked), UntrackedFile(counter));
        var lines = git.Run("diff", "--numstat", "main").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Sum(x => int.Parse(x.Split('\t')[0], CultureInfo.InvariantCulture));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"branch {branch}: {fileCount} files edited and {StubPath} added (committed), {uncommitted.Count} files edited (uncommitted), {untracked} untracked; {edits} edits, {lines} lines added to tracked files");
    }

    private static IEnumerable<BaseMethodDeclarationSyntax> Methods(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes()
            .OfType<BaseMethodDeclarationSyntax>()
            .Where(m => m.Body is { Statements.Count: > 0 } && m.Parent is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax);

    private static int Edit(string root, string path, SyntaxTree tree, Random random, ref int counter, bool statementsOnly)
    {
        var text = tree.GetText();
        var insertions = new List<(int Position, string Text)>();
        var methods = Methods(tree).ToList();

        // New statements at the start of one or two existing methods.
        foreach (var method in methods.OrderBy(_ => random.Next()).Take(statementsOnly || random.Chance(0.6) ? random.Next(1, 3) : 0))
        {
            var open = method.Body!.OpenBraceToken;
            var indent = Indent(text, open.SpanStart) + "    ";
            var async = method.Modifiers.Any(SyntaxKind.AsyncKeyword);
            insertions.Add((open.FullSpan.End, NewStatement(random, ++counter, indent, async)));
        }

        if (!statementsOnly)
        {
            // A new method in a class, guarded or not.
            if (insertions.Count == 0 || random.Chance(0.7))
            {
                var type = methods[random.Next(methods.Count)].Parent as TypeDeclarationSyntax;
                if (type is not null && !type.Modifiers.Any(SyntaxKind.RefKeyword) && type.CloseBraceToken.Span.Length > 0)
                {
                    var indent = Indent(text, type.CloseBraceToken.SpanStart) + "    ";
                    insertions.Add((type.CloseBraceToken.FullSpan.Start, NewMethod(random, ++counter, indent)));
                }
            }

            // A new else-if branch behind a flag after an if without else.
            var ifs = methods.SelectMany(m => m.Body!.DescendantNodes().OfType<IfStatementSyntax>())
                .Where(x => x.Else is null && x.Statement is BlockSyntax)
                .ToList();
            if (ifs.Count > 0 && random.Chance(0.35))
            {
                var target = ifs[random.Next(ifs.Count)];
                var close = ((BlockSyntax)target.Statement).CloseBraceToken;
                var async = target.Ancestors().OfType<BaseMethodDeclarationSyntax>().First().Modifiers.Any(SyntaxKind.AsyncKeyword)
                    && !target.Ancestors().Any(x => x is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);
                insertions.Add((close.Span.End, NewElseIf(++counter, Indent(text, close.SpanStart), async)));
            }
        }

        var result = new StringBuilder(text.ToString());
        foreach (var (position, inserted) in insertions.OrderByDescending(x => x.Position))
        {
            result.Insert(position, inserted);
        }

        var fullPath = Path.Combine(root, path);
        var (_, encoding, bom) = Read(fullPath);
        File.WriteAllBytes(fullPath, [.. bom, .. encoding.GetBytes(result.ToString())]);
        return insertions.Count;
    }

    /// <summary>Reads a source file so that writing it back changes no byte but the inserted ones: a UTF-8 byte order
    /// mark is kept, and a file that is not valid UTF-8 (old Windows-1252 comments) is read byte for byte.</summary>
    private static (string Text, Encoding Encoding, byte[] Bom) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        byte[] bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? [0xEF, 0xBB, 0xBF] : [];
        var body = bytes.AsSpan(bom.Length);
        try
        {
            var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            return (strict.GetString(body), strict, bom);
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.Latin1.GetString(body), Encoding.Latin1, bom);
        }
    }

    private static string Indent(SourceText text, int position)
    {
        var line = text.Lines.GetLineFromPosition(position).ToString();
        return line[..(line.Length - line.TrimStart().Length)];
    }

    private static string FlagCheck(int n, bool async) => async
        ? $"await global::OpenFeature.Api.Instance.GetClient().GetBooleanValueAsync(\"library-change-{n}\", false).ConfigureAwait(false)"
        : $"global::OpenFeature.Api.Instance.GetClient().GetBooleanValueAsync(\"library-change-{n}\", false).GetAwaiter().GetResult()";

    private static string NewStatement(Random random, int n, string indent, bool async)
    {
        var lines = random.Next(3) switch
        {
            0 => new[]
            {
                $"if ({FlagCheck(n, async)})",
                "{",
                $"    global::System.Diagnostics.Trace.WriteLine(\"library-change-{n}: entered\");",
                "}",
            },
            1 => [$"var started{n} = global::System.Diagnostics.Stopwatch.GetTimestamp();", $"global::System.Diagnostics.Debug.Assert(started{n} != 0, \"timestamp\");"],
            _ => [$"global::System.Diagnostics.Trace.WriteLine(\"change {n}: entered at \" + global::System.Environment.TickCount.ToString(global::System.Globalization.CultureInfo.InvariantCulture));"],
        };
        return string.Concat(lines.Select(x => indent + x + "\n"));
    }

    private static string NewElseIf(int n, string indent, bool async) =>
        $"\n{indent}else if ({FlagCheck(n, async)})\n{indent}{{\n{indent}    global::System.Diagnostics.Trace.WriteLine(\"library-change-{n}: new branch\");\n{indent}}}";

    private static string NewMethod(Random random, int n, string indent)
    {
        var lines = random.Chance(0.55)
            ? new[]
            {
                $"internal static async global::System.Threading.Tasks.Task<int> ScoreV2_{n}Async(string text, global::System.Threading.CancellationToken cancellationToken = default)",
                "{",
                $"    if (await global::OpenFeature.Api.Instance.GetClient().GetBooleanValueAsync(\"library-change-{n}\", false, cancellationToken: cancellationToken).ConfigureAwait(false))",
                "    {",
                "        var score = 0;",
                "        foreach (var c in text ?? string.Empty)",
                "        {",
                "            if (char.IsDigit(c))",
                "            {",
                "                score += c - '0';",
                "            }",
                "            else if (char.IsUpper(c))",
                "            {",
                "                score += 2;",
                "            }",
                "        }",
                string.Empty,
                "        return score;",
                "    }",
                string.Empty,
                "    return text == null ? 0 : text.Length;",
                "}",
            }
            : [
                $"internal static int ChecksumV2_{n}(string text)",
                "{",
                "    var hash = 17;",
                "    if (text != null)",
                "    {",
                "        for (var i = 0; i < text.Length; i++)",
                "        {",
                "            hash = unchecked((hash * 31) + text[i]);",
                "        }",
                "    }",
                string.Empty,
                "    return hash;",
                "}",
            ];
        return "\n" + string.Concat(lines.Select(x => (x.Length == 0 ? string.Empty : indent + x) + "\n"));
    }

    private static string UntrackedFile(int n) => $$"""
        namespace KillswitchBenchmark
        {
            internal static class FeatureToggleDefaults
            {
                internal static async global::System.Threading.Tasks.Task<string> DescribeAsync(int value)
                {
                    var client = global::OpenFeature.Api.Instance.GetClient();
                    if (await client.GetBooleanValueAsync("library-change-{{n + 1}}", false).ConfigureAwait(false))
                    {
                        return "flagged:" + value.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
                    }

                    return value < 0 ? "negative" : "plain";
                }
            }
        }

        """;

    /// <summary>The part of OpenFeature's API the analyzers recognise; the library has no OpenFeature reference.</summary>
    private const string OpenFeatureStub = """
        #nullable enable
        namespace OpenFeature
        {
            using System.Threading;
            using System.Threading.Tasks;

            public interface IFeatureClient
            {
                Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? options = null, CancellationToken cancellationToken = default);

                Task<string> GetStringValueAsync(string flagKey, string defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? options = null, CancellationToken cancellationToken = default);
            }

            public sealed class EvaluationContext
            {
            }

            public sealed class FlagEvaluationOptions
            {
            }

            public sealed class Api
            {
                public static Api Instance { get; } = new Api();

                public IFeatureClient GetClient(string? name = null) => new NoOpClient();

                private sealed class NoOpClient : IFeatureClient
                {
                    public Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? options = null, CancellationToken cancellationToken = default) => Task.FromResult(defaultValue);

                    public Task<string> GetStringValueAsync(string flagKey, string defaultValue, EvaluationContext? context = null, FlagEvaluationOptions? options = null, CancellationToken cancellationToken = default) => Task.FromResult(defaultValue);
                }
            }
        }

        """;
}
