using System.Collections.Immutable;
using Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Killswitch.Analyzers.Tests.CodeFixes;

/// <summary>
/// Reports KS1001 the way the diagnostic contract describes it, for code marked with a <c>/*new:Kind*/</c>
/// comment, so the code fix can be tested shape by shape without depending on what the analyzer deems new.
/// A marked code path counts as guarded (not reported) once its member or statement mentions a flag check.
/// </summary>
// A test double that only ever runs inside the test host, never in a compiler: the rules for shipped
// analyzers (netstandard2.0, no Workspaces reference, extended analyzer rules) do not apply to it.
#pragma warning disable RS1036, RS1038, RS1041
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ContractAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1036, RS1038, RS1041
{
    private static readonly string[] GuardWords = { "GetBooleanValueAsync", "IsEnabledAsync", "WithFeatureGate", "FeatureGate(" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnguardedNewCode);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxTreeAction(Analyze);
    }

    private static void Analyze(SyntaxTreeAnalysisContext context)
    {
        var root = context.Tree.GetRoot(context.CancellationToken);
        foreach (var comment in root.DescendantTrivia().Where(t => t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
        {
            var text = comment.ToString();
            if (!text.StartsWith("/*new:", StringComparison.Ordinal))
            {
                continue;
            }

            var kind = Enum.Parse<CodePathKind>(text["/*new:".Length..^2]);
            var token = comment.Token;
            var (anchor, span, name) = Locate(kind, token);
            if (anchor is null)
            {
                throw new InvalidOperationException($"The marker {text} is not before a {kind} code path.");
            }

            var scope = token.Parent!.AncestorsAndSelf().FirstOrDefault(n => n is MemberDeclarationSyntax or GlobalStatementSyntax)
                ?? token.Parent;
            if (kind == CodePathKind.Endpoint)
            {
                scope = token.Parent!.AncestorsAndSelf().OfType<StatementSyntax>().First();
            }

            if (GuardWords.Any(w => scope.ToString().Contains(w, StringComparison.Ordinal)))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(FlagTarget.KindProperty, kind.ToString())
                .Add(FlagTarget.FlagKeyProperty, name);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.UnguardedNewCode,
                anchor,
                new[] { Location.Create(context.Tree, span) },
                properties,
                kind.ToString()));
        }
    }

    private static (Location? Anchor, Microsoft.CodeAnalysis.Text.TextSpan Span, string Key) Locate(CodePathKind kind, SyntaxToken token)
    {
        var node = token.Parent!;
        switch (kind)
        {
            case CodePathKind.Member or CodePathKind.Action:
                var method = node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().First();
                var body = (SyntaxNode?)method.Body ?? method.ExpressionBody!;
                return (method.Identifier.GetLocation(), body.Span, FlagKeys.FromMemberName(method.Identifier.ValueText));
            case CodePathKind.Branch:
                var memberName = FlagKeys.FromMemberName(node.Ancestors().OfType<MethodDeclarationSyntax>().First().Identifier.ValueText);
                return node switch
                {
                    IfStatementSyntax s => (s.IfKeyword.GetLocation(), s.Statement.Span, memberName),
                    ElseClauseSyntax e => (e.ElseKeyword.GetLocation(), e.Statement.Span, memberName),
                    CatchClauseSyntax c => (c.CatchKeyword.GetLocation(), c.Block.Span, memberName),
                    SwitchLabelSyntax { Parent: SwitchSectionSyntax section } l => (l.Keyword.GetLocation(), section.Span, memberName),
                    _ => (null, default, memberName),
                };
            case CodePathKind.Statements:
                var first = node.AncestorsAndSelf().OfType<StatementSyntax>().First();
                var siblings = first.Parent switch
                {
                    BlockSyntax b => b.Statements.ToList(),
                    SwitchSectionSyntax s => s.Statements.ToList(),
                    _ => first.Parent!.Parent!.ChildNodes().OfType<GlobalStatementSyntax>().Select(g => g.Statement).ToList(),
                };
                var last = siblings.Skip(siblings.IndexOf(first)).TakeWhile(s => s == first || !s.GetLeadingTrivia().ToString().Contains("/*old*/", StringComparison.Ordinal)).Last();
                var owner = first.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText;
                return (first.GetLocation(), Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(first.SpanStart, last.Span.End), FlagKeys.FromMemberName(owner));
            case CodePathKind.Endpoint:
                var statement = node.AncestorsAndSelf().OfType<StatementSyntax>().First();
                var call = statement.DescendantNodes().OfType<InvocationExpressionSyntax>()
                    .First(i => i.Expression is MemberAccessExpressionSyntax m && m.Name.Identifier.ValueText.StartsWith("Map", StringComparison.Ordinal));
                var route = call.ArgumentList.Arguments[0].Expression is LiteralExpressionSyntax literal ? literal.Token.ValueText : null;
                return (call.GetLocation(), statement.Span, FlagKeys.FromRoute(route));
            case CodePathKind.Lambda:
                var lambda = node.AncestorsAndSelf().OfType<LambdaExpressionSyntax>().First();
                var container = lambda.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText;
                return (lambda.ArrowToken.GetLocation(), lambda.Body.Span, FlagKeys.FromMemberName(container));
            default:
                return (null, default, string.Empty);
        }
    }
}
