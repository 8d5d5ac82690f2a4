using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;

/// <summary>
/// Removes one flag evaluation: replaces it by the kept value, then simplifies the containing member until nothing
/// changes (<see cref="ConstantFolder"/>, locals assigned only from the value inlined), removes the private methods
/// only the dead code called, <c>[FeatureGate("key")]</c> when the flag is kept on, <c>async</c> when no await is
/// left, and the usings the removal made unnecessary.
/// </summary>
internal static class FlagRemover
{
    private const int MaxPasses = 16;
    private static readonly SyntaxAnnotation MemberMark = new("KillswitchMember");
    private static readonly SyntaxAnnotation CandidateMark = new("KillswitchCandidate");
    private static readonly SyntaxAnnotation UsedImportMark = new("KillswitchUsedImport");

    /// <summary>The document with the evaluation marked by <paramref name="target"/> removed; null when the fix does
    /// not apply to this call (an object value, a details result used for more than its value, ...).</summary>
    public static async Task<Document?> RemoveAsync(Document document, SyntaxAnnotation target, string flagKey, KeptValue kept, CancellationToken cancellationToken)
    {
        document = await WithoutMarksAsync(document, cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root?.GetAnnotatedNodes(target).OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } invocation || model is null)
        {
            return null;
        }

        if (Evaluation(invocation, model, kept, cancellationToken) is not { } evaluation)
        {
            return null;
        }

        var member = invocation.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or FieldDeclarationSyntax)
            ?? invocation.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (member is null)
        {
            return null;
        }

        // Mark, before any edit: the member, the private methods it reaches (candidates for removal), the usings in use.
        var candidates = PrivateCallees(member, model, cancellationToken);
        var usedImports = UsedImports(root, model, cancellationToken);
        var marks = new Dictionary<SyntaxNode, SyntaxAnnotation> { [member] = MemberMark };
        foreach (var candidate in candidates)
        {
            marks[candidate] = CandidateMark;
        }

        foreach (var import in usedImports)
        {
            marks[import] = UsedImportMark;
        }

        root = root.ReplaceNodes(
            marks.Keys.Concat(new[] { evaluation.Node }),
            (original, rewritten) => original == evaluation.Node
                ? evaluation.Replacement.WithTriviaFrom(original)
                : rewritten.WithAdditionalAnnotations(marks[original]));
        document = document.WithSyntaxRoot(root);

        document = await SimplifyAsync(document, cancellationToken).ConfigureAwait(false);
        document = await RemoveAsyncWithoutAwaitAsync(document, cancellationToken).ConfigureAwait(false);
        document = await RemoveDeadMethodsAsync(document, cancellationToken).ConfigureAwait(false);
        if (kept.Value is true)
        {
            document = await RemoveFeatureGatesAsync(document, flagKey, cancellationToken).ConfigureAwait(false);
        }

        document = await RemoveUnusedImportsAsync(document, cancellationToken).ConfigureAwait(false);

        // Done here rather than left to the code action's clean-up, so Fix All and tools applying the change directly
        // get the same text: unneeded parentheses go, spliced statements are re-indented.
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, optionSet: null, cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, options: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fix All runs one removal on the result of the previous: the marks a previous removal left (its member
    /// first of all) would otherwise be taken for this one's, and this member would not be simplified.</summary>
    private static async Task<Document> WithoutMarksAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var marked = root?.GetAnnotatedNodes(MemberMark).Concat(root.GetAnnotatedNodes(CandidateMark)).Concat(root.GetAnnotatedNodes(UsedImportMark)).ToList();
        return root is null || marked!.Count == 0
            ? document
            : document.WithSyntaxRoot(root.ReplaceNodes(marked, (_, rewritten) => rewritten.WithoutAnnotations(MemberMark).WithoutAnnotations(CandidateMark).WithoutAnnotations(UsedImportMark)));
    }

    private sealed class EvaluationSite
    {
        public EvaluationSite(SyntaxNode node, ExpressionSyntax replacement)
        {
            Node = node;
            Replacement = replacement;
        }

        public SyntaxNode Node { get; }

        public ExpressionSyntax Replacement { get; }
    }

    /// <summary>The expression the value replaces: the awaited call (with <c>.ConfigureAwait</c> and the details'
    /// <c>.Value</c>), or the call itself as a completed task when it is not awaited.</summary>
    private static EvaluationSite? Evaluation(InvocationExpressionSyntax invocation, SemanticModel model, KeptValue kept, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        var value = kept.Value;
        if (kept.VariantName is null)
        {
            // The code default: the defaultValue argument, which must be a constant to be written as a literal.
            var argument = DefaultArgument(invocation, method);
            if (argument is null || model.GetConstantValue(argument.Expression, cancellationToken) is not { HasValue: true } constant)
            {
                return null;
            }

            value = constant.Value;
        }

        ExpressionSyntax node = invocation;
        var type = method.ReturnType;
        var awaited = false;
        if (node.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure
            && configure.Parent is InvocationExpressionSyntax configured)
        {
            node = configured;
        }

        if (node.Parent is AwaitExpressionSyntax await)
        {
            node = await;
            awaited = true;
            type = type is INamedTypeSymbol { TypeArguments.Length: 1 } task ? task.TypeArguments[0] : type;
        }

        if (type is INamedTypeSymbol { Name: "FlagEvaluationDetails", TypeArguments.Length: 1 } details)
        {
            // Only the value of the details can be replaced; the variant, reason or error would be made up.
            if (!awaited || Unparenthesized(node).Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Value" } valueAccess)
            {
                return null;
            }

            node = valueAccess;
            type = details.TypeArguments[0];
        }

        var valueType = type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task2 && !awaited ? task2.TypeArguments[0] : type;
        if (!Fits(value, valueType))
        {
            return null;
        }

        var literal = ConstantFolder.Literal(value, valueType);
        if (!awaited && type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } pending)
        {
            // `=> flags.GetBooleanValueAsync(...)` in a method returning the task: a completed task keeps the types.
            var valueLiteral = ConstantFolder.Literal(value, pending.TypeArguments[0]).WithoutAnnotations(ConstantFolder.Inlined);
            var position = invocation.SpanStart;
            ExpressionSyntax completed = pending.Name == "Task"
                ? SyntaxFactory.ParseExpression(TaskType(model, position, "Task") + ".FromResult()")
                : SyntaxFactory.ParseExpression($"new {TaskType(model, position, "ValueTask")}<{pending.TypeArguments[0].ToMinimalDisplayString(model, position)}>()");
            completed = completed switch
            {
                InvocationExpressionSyntax call => call.WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(valueLiteral)))),
                ObjectCreationExpressionSyntax creation => creation.WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(valueLiteral)))),
                _ => completed,
            };
            return new EvaluationSite(node, completed.WithAdditionalAnnotations(Simplifier.Annotation));
        }

        return new EvaluationSite(node, literal);
    }

    /// <summary>Whether the value can be written where the evaluation's result was (object values never are).</summary>
    private static bool Fits(object? value, ITypeSymbol type) => value switch
    {
        bool => type.SpecialType == SpecialType.System_Boolean,
        string => type.SpecialType == SpecialType.System_String,
        long or int => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double,
        double => type.SpecialType == SpecialType.System_Double,
        _ => false,
    };

    /// <summary>"Task" where it names System.Threading.Tasks.Task, the namespace-qualified name elsewhere (as people write it).</summary>
    internal static string TaskType(SemanticModel model, int position, string name) =>
        model.LookupNamespacesAndTypes(position, name: name).OfType<INamedTypeSymbol>()
            .Any(t => t.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks" && t.Arity == 0)
            ? name
            : "System.Threading.Tasks." + name;

    private static ExpressionSyntax Unparenthesized(ExpressionSyntax node)
    {
        while (node.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            node = parenthesized;
        }

        return node;
    }

    private static ArgumentSyntax? DefaultArgument(InvocationExpressionSyntax invocation, IMethodSymbol method)
    {
        var arguments = invocation.ArgumentList.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var name = arguments[i].NameColon?.Name.Identifier.ValueText
                ?? (i < method.Parameters.Length ? method.Parameters[i].Name : null);
            if (name == "defaultValue")
            {
                return arguments[i];
            }
        }

        return null;
    }

    /// <summary>Folds and inlines until a fixed point (each pass rebinds, so a fold can see constants just inlined).</summary>
    private static async Task<Document> SimplifyAsync(Document document, CancellationToken cancellationToken)
    {
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
            if (root.GetAnnotatedNodes(MemberMark).FirstOrDefault() is not { } member)
            {
                return document;
            }

            var folder = new ConstantFolder(model, member);
            var folded = folder.Visit(member)!;
            if (folder.Changed)
            {
                document = document.WithSyntaxRoot(root.ReplaceNode(member, folded));
                continue;
            }

            if (InlineLocal(root, model, member, cancellationToken) is { } inlined)
            {
                document = document.WithSyntaxRoot(inlined);
                continue;
            }

            return document;
        }

        return document;
    }

    /// <summary>A local initialised with the kept value and never written again: its reads become the value.</summary>
    private static SyntaxNode? InlineLocal(SyntaxNode root, SemanticModel model, SyntaxNode member, CancellationToken cancellationToken)
    {
        foreach (var declaration in member.DescendantNodes().OfType<LocalDeclarationStatementSyntax>())
        {
            if (declaration.Parent is not (BlockSyntax or SwitchSectionSyntax)
                || declaration.Declaration.Variables.Count != 1 || declaration.UsingKeyword.RawKind != 0
                || declaration.Declaration.Variables[0] is not { Initializer.Value: { } initializer } declarator
                || !ConstantFolder.TryGetInlined(initializer, out var value)
                || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local
                || !SymbolEqualityComparer.Default.Equals(local.Type, model.GetTypeInfo(initializer, cancellationToken).Type))
            {
                continue;
            }

            var scope = declaration.Parent!;
            var references = scope.DescendantNodes().OfType<IdentifierNameSyntax>()
                .Where(n => n.Identifier.ValueText == local.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n, cancellationToken).Symbol, local))
                .ToList();
            if (references.Any(IsWritten))
            {
                continue;
            }

            // A blank line before the declaration stays, on the statement that follows (when neither has comments).
            var next = scope.ChildNodes().SkipWhile(n => n != declaration).Skip(1).FirstOrDefault() as StatementSyntax;
            if (next is not null && !(IsBlank(declaration.GetLeadingTrivia()) && IsBlank(next.GetLeadingTrivia())))
            {
                next = null;
            }

            var remove = new SyntaxAnnotation();
            var inlined = root.ReplaceNodes(
                references.Cast<SyntaxNode>().Append(declaration).Concat(next is null ? Enumerable.Empty<SyntaxNode>() : new SyntaxNode[] { next }),
                (original, rewritten) => original == declaration
                    ? rewritten.WithAdditionalAnnotations(remove)
                    : original == next
                        ? rewritten.WithLeadingTrivia(declaration.GetLeadingTrivia())
                        : ConstantFolder.Literal(value, local.Type).WithTriviaFrom(original));
            return inlined.RemoveNode(inlined.GetAnnotatedNodes(remove).Single(), SyntaxRemoveOptions.KeepNoTrivia | SyntaxRemoveOptions.KeepDirectives);
        }

        return null;
    }

    private static bool IsBlank(SyntaxTriviaList trivia) =>
        trivia.All(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia));

    private static bool IsWritten(IdentifierNameSyntax reference)
    {
        SyntaxNode node = reference;
        while (node.Parent is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } => true,
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } => true,
            ArgumentSyntax argument => argument.RefKindKeyword.RawKind != 0,
            RefExpressionSyntax => true,
            _ => false,
        };
    }

    /// <summary>Private methods of the member's type reached from the member, directly or through each other.</summary>
    private static List<SyntaxNode> PrivateCallees(SyntaxNode member, SemanticModel model, CancellationToken cancellationToken)
    {
        var found = new List<SyntaxNode>();
        var queue = new Queue<SyntaxNode>();
        queue.Enqueue(member);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var name in current.DescendantNodes().OfType<SimpleNameSyntax>())
            {
                if (model.GetSymbolInfo(name, cancellationToken).Symbol is IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary, IsPartialDefinition: false } method
                    && method.PartialImplementationPart is null
                    && method.PartialDefinitionPart is null
                    && method.DeclaringSyntaxReferences.Length == 1
                    && method.DeclaringSyntaxReferences[0].SyntaxTree == model.SyntaxTree
                    && method.GetAttributes().Length == 0
                    && method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration
                    && declaration != member
                    && !found.Contains(declaration))
                {
                    found.Add(declaration);
                    queue.Enqueue(declaration);
                }
            }
        }

        return found;
    }

    /// <summary>Removes the marked private methods nobody calls any more (repeatedly: one may have been the last caller of another).</summary>
    private static async Task<Document> RemoveDeadMethodsAsync(Document document, CancellationToken cancellationToken)
    {
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
            var dead = new List<SyntaxNode>();
            foreach (var declaration in root.GetAnnotatedNodes(CandidateMark).OfType<MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration, cancellationToken) is not { } method)
                {
                    continue;
                }

                var references = await SymbolFinder.FindReferencesAsync(method, document.Project.Solution, cancellationToken).ConfigureAwait(false);
                var used = references.SelectMany(r => r.Locations)
                    .Any(l => l.Document.Id != document.Id || !declaration.Span.Contains(l.Location.SourceSpan));
                if (!used)
                {
                    dead.Add(declaration);
                }
            }

            if (dead.Count == 0)
            {
                return document;
            }

            document = document.WithSyntaxRoot(root.RemoveNodes(dead, SyntaxRemoveOptions.KeepDirectives | SyntaxRemoveOptions.KeepUnbalancedDirectives)!);
        }

        return document;
    }

    /// <summary>
    /// An async method or local function whose only awaits were flag evaluations would warn CS1998 (an error with
    /// warnings as errors). It loses <c>async</c> and returns completed tasks instead: the same result for every
    /// caller that awaits it; an exception now escapes at the call rather than at the await.
    /// </summary>
    private static async Task<Document> RemoveAsyncWithoutAwaitAsync(Document document, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        if (root.GetAnnotatedNodes(MemberMark).FirstOrDefault() is not { } member)
        {
            return document;
        }

        var functions = member.DescendantNodesAndSelf()
            .Where(n => n is MethodDeclarationSyntax or LocalFunctionStatementSyntax)
            .Where(n => Modifiers(n).Any(SyntaxKind.AsyncKeyword) && !HasAwait(n))
            .ToList();
        if (functions.Count == 0)
        {
            return document;
        }

        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        foreach (var function in functions)
        {
            if (Synchronous(function, model, cancellationToken) is { } synchronous)
            {
                replacements[function] = synchronous;
            }
        }

        // Nested functions are rewritten on their own; an outer one that contains a rewritten one is left for the next pass.
        var outermost = replacements.Keys.Where(k => !replacements.Keys.Any(o => o != k && o.Contains(k))).ToList();
        if (outermost.Count == 0)
        {
            return document;
        }

        document = document.WithSyntaxRoot(root.ReplaceNodes(outermost, (original, _) => replacements[original]));
        return outermost.Count == replacements.Count ? document : await RemoveAsyncWithoutAwaitAsync(document, cancellationToken).ConfigureAwait(false);
    }

    private static SyntaxTokenList Modifiers(SyntaxNode function) => function switch
    {
        MethodDeclarationSyntax method => method.Modifiers,
        LocalFunctionStatementSyntax local => local.Modifiers,
        _ => default,
    };

    private static bool HasAwait(SyntaxNode function) =>
        function.DescendantNodes(n => n == function || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Any(n => n is AwaitExpressionSyntax
                || n is ForEachStatementSyntax { AwaitKeyword.RawKind: not 0 }
                || n is UsingStatementSyntax { AwaitKeyword.RawKind: not 0 }
                || n is LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: not 0 });

    private static SyntaxNode? Synchronous(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbol = model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol;
        if (symbol is null || symbol.ReturnType is not INamedTypeSymbol returnType || returnType.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks"
            || returnType.Name is not ("Task" or "ValueTask") || function.DescendantNodes().OfType<YieldStatementSyntax>().Any())
        {
            // async void and other task-likes keep async (CS1998 stays a warning to resolve by hand).
            return null;
        }

        var generic = returnType.TypeArguments.Length == 1 ? returnType.TypeArguments[0] : null;
        var position = function.SpanStart;
        var typeName = generic?.ToMinimalDisplayString(model, position);
        var task = TaskType(model, position, "Task");
        var valueTask = TaskType(model, position, "ValueTask");
        ExpressionSyntax Completed(ExpressionSyntax? value, ExpressionSyntax? original) => (returnType.Name, value) switch
        {
            ("Task", null) => SyntaxFactory.ParseExpression(task + ".CompletedTask"),
            ("Task", { } v) => SyntaxFactory.InvocationExpression(
                SyntaxFactory.ParseExpression(original is not null && SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(original, cancellationToken).Type, generic)
                    ? task + ".FromResult"
                    : $"{task}.FromResult<{typeName}>"),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(v.WithoutTrivia())))),
            (_, null) => SyntaxFactory.ParseExpression($"default({valueTask})"),
            (_, { } v) => SyntaxFactory.ObjectCreationExpression(
                SyntaxFactory.ParseTypeName($"{valueTask}<{typeName}>"),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(v.WithoutTrivia()))),
                null),
        };

        var body = function switch
        {
            MethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };
        if (body is null)
        {
            return null;
        }

        // Returns of this function only (not of lambdas or local functions inside it).
        var returns = body.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>().ToList();
        var newBody = body.ReplaceNodes(returns, (original, rewritten) =>
            rewritten.WithExpression(Completed(rewritten.Expression, original.Expression).WithAdditionalAnnotations(Simplifier.Annotation))
                .WithReturnKeyword(rewritten.ReturnKeyword.WithTrailingTrivia(SyntaxFactory.Space)));
        if (newBody is ArrowExpressionClauseSyntax arrow)
        {
            newBody = arrow.WithExpression(Completed(arrow.Expression, ((ArrowExpressionClauseSyntax)body).Expression).WithAdditionalAnnotations(Simplifier.Annotation).WithTriviaFrom(arrow.Expression));
        }
        else if (newBody is BlockSyntax block && generic is null
            && (block.Statements.Count == 0 || block.Statements.Last() is not (ReturnStatementSyntax or ThrowStatementSyntax)))
        {
            newBody = block.AddStatements(SyntaxFactory.ReturnStatement(Completed(null, null).WithAdditionalAnnotations(Simplifier.Annotation)).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return function switch
        {
            MethodDeclarationSyntax method => WithoutAsync(method.ReplaceNode(body, newBody), method.Modifiers, (m, mods) => m.WithModifiers(mods)),
            LocalFunctionStatementSyntax local => WithoutAsync(local.ReplaceNode(body, newBody), local.Modifiers, (l, mods) => l.WithModifiers(mods)),
            _ => null,
        };
    }

    private static T WithoutAsync<T>(T node, SyntaxTokenList original, System.Func<T, SyntaxTokenList, T> with)
        where T : SyntaxNode
    {
        var modifiers = Modifiers(node);
        var index = modifiers.IndexOf(SyntaxKind.AsyncKeyword);
        var asyncToken = modifiers[index];
        var rest = modifiers.RemoveAt(index);
        if (index == 0 && rest.Count > 0)
        {
            rest = rest.Replace(rest[0], rest[0].WithLeadingTrivia(asyncToken.LeadingTrivia));
        }

        var result = with(node, rest);
        if (index == 0 && rest.Count == 0)
        {
            // async was the only modifier: the return type takes its leading trivia.
            result = result.ReplaceToken(result.GetFirstToken(), result.GetFirstToken().WithLeadingTrivia(asyncToken.LeadingTrivia));
        }

        _ = original;
        return result;
    }

    /// <summary><c>[FeatureGate("key")]</c> (one feature, the removed flag) gates nothing once the flag is kept on.</summary>
    private static async Task<Document> RemoveFeatureGatesAsync(Document document, string flagKey, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var gates = root.DescendantNodes().OfType<AttributeSyntax>()
            .Where(a => a.ArgumentList is { Arguments.Count: 1 } arguments
                && IsFeatureGate(a, model, cancellationToken)
                && KeyOf(arguments.Arguments[0].Expression, model, cancellationToken) == flagKey)
            .ToList();
        if (gates.Count == 0)
        {
            return document;
        }

        // A list left empty goes, and its declaration keeps the leading trivia (doc comment, indentation) it had.
        var lists = gates.Select(g => (AttributeListSyntax)g.Parent!).Distinct().ToList();
        var owners = lists.Select(l => l.Parent!).Distinct().ToList();
        root = root.ReplaceNodes(owners, (original, _) =>
        {
            // Attribute lists are told apart by position: ReplaceNodes returns a new node whose spans start again at 0.
            var all = original.ChildNodes().OfType<AttributeListSyntax>().ToList();
            var emptied = all.Select((l, i) => (l, i)).Where(p => p.l.Attributes.All(gates.Contains)).Select(p => p.i).ToList();
            var partial = all.Where(l => lists.Contains(l) && !l.Attributes.All(gates.Contains)).ToList();
            var owner = original.ReplaceNodes(partial, (list, _) => list.WithAttributes(SyntaxFactory.SeparatedList(list.Attributes.Where(a => !gates.Contains(a)))));
            var remove = owner.ChildNodes().OfType<AttributeListSyntax>().Where((_, i) => emptied.Contains(i)).ToList();
            return owner.RemoveNodes(remove, SyntaxRemoveOptions.KeepNoTrivia)!.WithLeadingTrivia(original.GetLeadingTrivia());
        });
        return document.WithSyntaxRoot(root);
    }

    private static bool IsFeatureGate(AttributeSyntax attribute, SemanticModel model, CancellationToken cancellationToken)
    {
        var type = model.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType ?? model.GetTypeInfo(attribute, cancellationToken).Type;
        var name = type?.Name ?? (attribute.Name is QualifiedNameSyntax qualified ? qualified.Right : attribute.Name).ToString();
        return name is "FeatureGateAttribute" or "FeatureGate";
    }

    private static string? KeyOf(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken) =>
        model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: string key }
            ? key
            : (expression as LiteralExpressionSyntax)?.Token.Value as string;

    /// <summary>The using directives the compiler does not report unnecessary (CS8019) before the fix.</summary>
    private static List<UsingDirectiveSyntax> UsedImports(SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        var unnecessary = model.GetDiagnostics(null, cancellationToken).Where(d => d.Id == "CS8019").Select(d => d.Location.SourceSpan).ToList();
        return root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<UsingDirectiveSyntax>()
            .Where(u => u.GlobalKeyword.RawKind == 0 && !unnecessary.Any(s => s.IntersectsWith(u.Span)))
            .ToList();
    }

    /// <summary>Removes the usings that were in use before the fix and are not any more (IDE0005 would report them).</summary>
    private static async Task<Document> RemoveUnusedImportsAsync(Document document, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var unnecessary = model.GetDiagnostics(null, cancellationToken).Where(d => d.Id == "CS8019").Select(d => d.Location.SourceSpan).ToList();
        var unused = root.GetAnnotatedNodes(UsedImportMark).OfType<UsingDirectiveSyntax>()
            .Where(u => unnecessary.Any(s => s.IntersectsWith(u.Span)))
            .ToList();
        return unused.Count == 0
            ? document
            : document.WithSyntaxRoot(root.RemoveNodes(unused, SyntaxRemoveOptions.KeepLeadingTrivia | SyntaxRemoveOptions.KeepDirectives)!);
    }
}
