using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>
/// Puts one KS1001 code path behind a flag check of one API. Returns null (no fix offered) when the shape is
/// not supported or when the result would not compile as cleanly as the original: every candidate document is
/// compiled and rejected if it has a compiler error or warning the original did not have.
/// </summary>
internal static class FlagGuardFixer
{
    public static async Task<Document?> TryApplyAsync(Document document, FlagTarget target, FlagApiKind apiKind, CancellationToken cancellationToken)
    {
        if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || !root.FullSpan.Contains(target.Span)
            || FlagApi.Resolve(model.Compilation, apiKind) is not { } api)
        {
            return null;
        }

        var newRoot = new Planner(root, model, api, target, cancellationToken).Apply();
        if (newRoot is null)
        {
            return null;
        }

        var changed = await CleanUpAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
        return await CompilesAsCleanlyAsync(document, changed, cancellationToken).ConfigureAwait(false) ? changed : null;
    }

    // What CodeAction does after a fix, done here first so that the check below sees the final code
    // (an extension method such as WithFeatureGate only binds once its using directive is in).
    private static async Task<Document> CleanUpAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> CompilesAsCleanlyAsync(Document before, Document after, CancellationToken cancellationToken)
    {
        var problemsBefore = await CompilerProblemsAsync(before, cancellationToken).ConfigureAwait(false);
        foreach (var problem in await CompilerProblemsAsync(after, cancellationToken).ConfigureAwait(false))
        {
            if (!problemsBefore.TryGetValue(problem.Key, out var count) || count < problem.Value)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<Dictionary<string, int>> CompilerProblemsAsync(Document document, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var problems = new Dictionary<string, int>(System.StringComparer.Ordinal);
        foreach (var diagnostic in model!.GetDiagnostics(cancellationToken: cancellationToken))
        {
            if (diagnostic.Severity < DiagnosticSeverity.Warning || diagnostic.IsSuppressed)
            {
                continue;
            }

            var key = diagnostic.Id + " " + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            problems[key] = problems.TryGetValue(key, out var count) ? count + 1 : 1;
        }

        return problems;
    }

    /// <summary>How the guard reaches a client, and the check it evaluates.</summary>
    private sealed class Plan
    {
        public Plan(FunctionContext function, AnonymousFunctionExpressionSyntax? handler, ParameterSyntax? addedParameter, ExpressionSyntax check)
        {
            Function = function;
            Handler = handler;
            AddedParameter = addedParameter;
            Check = check;
        }

        public FunctionContext Function { get; }

        /// <summary>The endpoint handler lambda that is the function, if it is one (it may be made async).</summary>
        public AnonymousFunctionExpressionSyntax? Handler { get; }

        /// <summary>A handler parameter the fix adds so that DI supplies the client.</summary>
        public ParameterSyntax? AddedParameter { get; }

        public ExpressionSyntax Check { get; }

        public bool ConvertsHandler => Handler is not null && (!Function.IsAsync || AddedParameter is not null);
    }

    private sealed class Planner
    {
        private readonly CompilationUnitSyntax _root;
        private readonly SemanticModel _model;
        private readonly FlagApi _api;
        private readonly FlagTarget _target;
        private readonly CancellationToken _cancellationToken;
        private readonly SyntaxTrivia _endOfLine;

        public Planner(CompilationUnitSyntax root, SemanticModel model, FlagApi api, FlagTarget target, CancellationToken cancellationToken)
        {
            _root = root;
            _model = model;
            _api = api;
            _target = target;
            _cancellationToken = cancellationToken;
            _endOfLine = FlagSyntax.EndOfLineOf(root);
        }

        public SyntaxNode? Apply()
        {
            var node = _root.FindNode(_target.Span, getInnermostNodeForTie: false);
            if (node is GlobalStatementSyntax global && global.Span == _target.Span)
            {
                node = global.Statement;
            }

            return _target.Kind switch
            {
                CodePathKind.Member or CodePathKind.Action => FixMember(node),
                CodePathKind.Branch => FixBranch(node),
                CodePathKind.Statements => FixStatements(node),
                CodePathKind.Endpoint => FixEndpoint(node),
                _ => null,
            };
        }

        // ---- Member / Action: an early exit at the top of the body keeps the original lines untouched.
        private CompilationUnitSyntax? FixMember(SyntaxNode node)
        {
            if (node is not (BlockSyntax or ArrowExpressionClauseSyntax) || node.Parent is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax))
            {
                return null;
            }

            var declaration = node.Parent;
            if (_target.Kind == CodePathKind.Action && _api.FeatureGateAttribute is not null && declaration is MethodDeclarationSyntax action)
            {
                return AddFeatureGate(action);
            }

            var function = FunctionContext.Enclosing(node, _model, _cancellationToken);
            if (function is null || !function.IsAsync)
            {
                return null; // a method is never made async behind the user's back: callers would change
            }

            var position = node is BlockSyntax block ? block.OpenBraceToken.Span.End : ((ArrowExpressionClauseSyntax)node).Expression.SpanStart;
            if (Prepare(function, position) is not { } plan || OffExit(function, position) is not { } exit)
            {
                return null;
            }

            var guard = FlagSyntax.IfOff(plan.Check, exit, _endOfLine);
            SyntaxNode newDeclaration = (node, declaration) switch
            {
                (BlockSyntax body, _) => declaration.ReplaceNode(body, body.WithStatements(InsertFirst(body.Statements, guard))),
                (ArrowExpressionClauseSyntax arrow, BaseMethodDeclarationSyntax method) => method
                    .WithExpressionBody(null)
                    .WithSemicolonToken(default)
                    .WithBody(ExpressionBodyAsBlock(arrow.Expression, guard, ReturnsValue(function), method.SemicolonToken.TrailingTrivia)),
                (ArrowExpressionClauseSyntax arrow, LocalFunctionStatementSyntax local) => local
                    .WithExpressionBody(null)
                    .WithSemicolonToken(default)
                    .WithBody(ExpressionBodyAsBlock(arrow.Expression, guard, ReturnsValue(function), local.SemicolonToken.TrailingTrivia)),
                _ => declaration,
            };

            return newDeclaration == declaration ? null : _root.ReplaceNode(declaration, newDeclaration);
        }

        private CompilationUnitSyntax AddFeatureGate(MethodDeclarationSyntax action)
        {
            var attribute = Attribute(
                (NameSyntax)FlagSyntax.QualifiedType("global::Microsoft.FeatureManagement.Mvc.FeatureGate"),
                AttributeArgumentList(SingletonSeparatedList(AttributeArgument(LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(_target.Key))))));
            var list = AttributeList(SingletonSeparatedList(attribute)).WithAdditionalAnnotations(Formatter.Annotation);
            SyntaxNode newAction;
            if (action.AttributeLists.Count > 0)
            {
                newAction = action.WithAttributeLists(action.AttributeLists.Add(list));
            }
            else
            {
                // The attribute goes where the method's leading trivia (comments, indentation) ends.
                var leading = action.GetLeadingTrivia();
                newAction = action.WithoutLeadingTrivia()
                    .WithAttributeLists(SingletonList(list.WithLeadingTrivia(leading)));
            }

            return _root.ReplaceNode(action, newAction);
        }

        // ---- Branch: the branch's statements are wrapped; a catch rethrows when off; a switch section jumps on.
        private SyntaxNode? FixBranch(SyntaxNode node)
        {
            switch (node)
            {
                case IfStatementSyntax ifStatement when _target.Span.Start == ifStatement.SpanStart:
                    // The branch includes its condition (which may call new code too): the flag is checked first,
                    // so neither runs when it is off. With an else, off would take the else: no fix.
                    return ifStatement.Else is not null ? null : Wrap(ifStatement, ifStatement.SpanStart, check =>
                        ifStatement.WithCondition(BinaryExpression(
                            SyntaxKind.LogicalAndExpression,
                            check,
                            ParenthesizedExpression(ifStatement.Condition.WithoutTrivia()).WithAdditionalAnnotations(Simplifier.Annotation))));
                case ExpressionSyntax { Parent: SwitchExpressionArmSyntax arm } expression when arm.Expression == expression:
                    // Off, the arm does not match and the value comes from the arms after it, as before.
                    return Wrap(arm, arm.SpanStart, check => arm.WithWhenClause(arm.WhenClause is { } when
                        ? when.WithCondition(BinaryExpression(
                            SyntaxKind.LogicalAndExpression,
                            check,
                            ParenthesizedExpression(when.Condition.WithoutTrivia()).WithAdditionalAnnotations(Simplifier.Annotation)))
                        : WhenClause(check).WithAdditionalAnnotations(Formatter.Annotation)));
                case StatementSyntax { Parent: SwitchSectionSyntax owner } when owner.Statements.Count == 1:
                    return FixBranch(owner);
                case BlockSyntax { Parent: CatchClauseSyntax } catchBlock:
                    // Off behaves as if the catch clause were not there: the exception goes on.
                    return Wrap(catchBlock, catchBlock.OpenBraceToken.Span.End, check =>
                        catchBlock.WithStatements(InsertFirst(catchBlock.Statements, FlagSyntax.IfOff(check, ThrowStatement(), _endOfLine))));
                case SwitchSectionSyntax section when section.Parent is SwitchStatementSyntax switchStatement:
                    return Wrap(section, section.Statements.FirstOrDefault()?.SpanStart ?? section.Span.End, check =>
                        section.WithStatements(List(new StatementSyntax[]
                        {
                            FlagSyntax.IfOn(check, section.Statements, _endOfLine),
                            OffJump(switchStatement, section).WithTrailingTrivia(_endOfLine),
                        })));
                case BlockSyntax block:
                    return Wrap(block, block.OpenBraceToken.Span.End, check =>
                        block.WithStatements(SingletonList<StatementSyntax>(FlagSyntax.IfOn(check, block.Statements, _endOfLine))));
                case StatementSyntax statement when statement.Parent is IfStatementSyntax or ElseClauseSyntax or CommonForEachStatementSyntax
                    or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or UsingStatementSyntax or LockStatementSyntax
                    or FixedStatementSyntax or LabeledStatementSyntax:
                    // An embedded statement becomes a block, so an else can never attach to the new if.
                    return Wrap(statement, statement.SpanStart, check =>
                        FlagSyntax.Lines(new[] { FlagSyntax.IfOn(check, SingletonList(statement.WithoutLeadingTrivia()), _endOfLine) }, _endOfLine)
                            .WithLeadingTrivia(statement.GetLeadingTrivia()));
                default:
                    return null;
            }
        }

        // Off, a new case section does what the switch did before for that value: the default section if any.
        private static StatementSyntax OffJump(SwitchStatementSyntax switchStatement, SwitchSectionSyntax section)
        {
            var otherDefault = switchStatement.Sections.Any(s => s != section && s.Labels.Any(l => l is DefaultSwitchLabelSyntax));
            return otherDefault ? ParseStatement("goto default;") : BreakStatement();
        }

        // ---- Statements: a contiguous group of one block (or of the top-level statements) is wrapped.
        private SyntaxNode? FixStatements(SyntaxNode node)
        {
            if (node is StatementSyntax single && single.Span == _target.Span && single.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax)
            {
                node = single.Parent is GlobalStatementSyntax g ? g.Parent! : single.Parent!;
            }

            switch (node)
            {
                case BlockSyntax block:
                    return WrapRange(block, block.Statements, s => block.WithStatements(s));
                case SwitchSectionSyntax section:
                    return WrapRange(section, section.Statements, s => section.WithStatements(s));
                case CompilationUnitSyntax unit:
                    var members = unit.Members;
                    var first = IndexOfFirstWithin(members);
                    var count = CountWithin(members, first);
                    if (first < 0 || members.Skip(first).Take(count).Any(m => m is not GlobalStatementSyntax))
                    {
                        return null;
                    }

                    var statements = List(members.Skip(first).Take(count).Cast<GlobalStatementSyntax>().Select(s => s.Statement));
                    var firstStatement = ((GlobalStatementSyntax)members[first]).Statement;
                    return Wrap(firstStatement, firstStatement.SpanStart, check =>
                    {
                        var replacement = GlobalStatement(FlagSyntax.IfOn(check, statements, _endOfLine));
                        return unit.WithMembers(List(members.Take(first).Append(replacement).Concat(members.Skip(first + count))));
                    });
                default:
                    return null;
            }
        }

        private SyntaxNode? WrapRange(SyntaxNode parent, SyntaxList<StatementSyntax> statements, System.Func<SyntaxList<StatementSyntax>, SyntaxNode> with)
        {
            var first = IndexOfFirstWithin(statements);
            var count = CountWithin(statements, first);
            if (first < 0)
            {
                return null;
            }

            // List() detaches the nodes from the tree: the original first statement locates the function.
            var group = List(statements.Skip(first).Take(count));
            return Wrap(statements[first], statements[first].SpanStart, check =>
                with(List(statements.Take(first).Append(FlagSyntax.IfOn(check, group, _endOfLine)).Concat(statements.Skip(first + count)))));
        }

        private int IndexOfFirstWithin<T>(SyntaxList<T> nodes)
            where T : SyntaxNode
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                if (_target.Span.Contains(nodes[i].Span))
                {
                    return i;
                }
            }

            return -1;
        }

        private int CountWithin<T>(SyntaxList<T> nodes, int first)
            where T : SyntaxNode
        {
            var count = 0;
            while (first >= 0 && first + count < nodes.Count && _target.Span.Contains(nodes[first + count].Span))
            {
                count++;
            }

            return count;
        }

        // ---- Endpoint: FeatureManagement gates the endpoint (.WithFeatureGate); otherwise the handler lambda is gated.
        private CompilationUnitSyntax? FixEndpoint(SyntaxNode node)
        {
            if (node is not StatementSyntax statement)
            {
                return null;
            }

            if (_api.WithFeatureGate is not null
                && statement is ExpressionStatementSyntax { Expression: var builder }
                && _api.IsEndpointBuilder(_model.GetTypeInfo(builder, _cancellationToken).Type))
            {
                var gated = AppendFeatureGate(builder, _target.Key);
                var root = _root.ReplaceNode(builder, gated);
                var bound = _model.GetSpeculativeSymbolInfo(builder.SpanStart, gated, SpeculativeBindingOption.BindAsExpression).Symbol;
                return SymbolEqualityComparer.Default.Equals(bound?.OriginalDefinition, _api.WithFeatureGate)
                    ? root
                    : FlagSyntax.AddUsing(root, _api.WithFeatureGate.ContainingNamespace.ToDisplayString());
            }

            var handler = statement.DescendantNodes().OfType<AnonymousFunctionExpressionSyntax>().FirstOrDefault(IsEndpointHandler);
            return handler is null ? null : GateHandler(handler);
        }

        private static InvocationExpressionSyntax AppendFeatureGate(ExpressionSyntax builder, string key)
        {
            var name = IdentifierName("WithFeatureGate");
            var dot = Token(SyntaxKind.DotToken);
            var receiver = builder.WithoutTrailingTrivia();

            // A chain written one call per line gets the gate on a line of its own, indented like the others.
            if (builder is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax last }
                && last.OperatorToken.GetPreviousToken().TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia))
            {
                receiver = receiver.WithTrailingTrivia(last.OperatorToken.GetPreviousToken().TrailingTrivia.Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)));
                dot = dot.WithLeadingTrivia(last.OperatorToken.LeadingTrivia);
            }

            return InvocationExpression(
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, dot, name),
                    ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(key))))))
                .WithTrailingTrivia(builder.GetTrailingTrivia());
        }

        /// <summary>
        /// Gates a minimal-API handler: made async if needed, given a client parameter if none is in scope, and
        /// answering 404 (<c>Results.NotFound()</c>, as WithFeatureGate does) when the flag is off. A handler that
        /// returned nothing returns <c>Results.Empty</c> on its other paths, which leaves the response as it was.
        /// Handlers returning other values (string, DTO) are declined: no 404 fits their return type.
        /// </summary>
        private CompilationUnitSyntax? GateHandler(AnonymousFunctionExpressionSyntax lambda)
        {
            if (lambda is not ParenthesizedLambdaExpressionSyntax { ReturnType: null } parenthesized
                || _api.HttpResults is null
                || FunctionContext.Enclosing(lambda.Body, _model, _cancellationToken) is not { } function
                || function.Symbol is null)
            {
                return null;
            }

            var position = lambda.Body is BlockSyntax b ? b.OpenBraceToken.Span.End : lambda.Body.SpanStart;
            if (Prepare(function, position) is not { } plan)
            {
                return null;
            }

            var shape = HandlerShape.Of(function);
            ExpressionSyntax? empty = null;
            if (shape.ValueType is null)
            {
                empty = FlagSyntax.QualifiedExpression("global::Microsoft.AspNetCore.Http.Results.Empty");
            }
            else if (!_api.IsHttpResult(shape.ValueType))
            {
                return null;
            }

            var guard = FlagSyntax.IfOff(plan.Check, ReturnStatement(FlagSyntax.QualifiedExpression("global::Microsoft.AspNetCore.Http.Results.NotFound()")), _endOfLine);
            var endReachable = lambda.Body is not BlockSyntax { Statements.Count: > 0 } block
                || _model.AnalyzeControlFlow(block.Statements.First(), block.Statements.Last()) is not { Succeeded: true } flow
                || flow.EndPointIsReachable;
            return _root.ReplaceNode(lambda, ConvertHandler(parenthesized, plan, shape, guard, empty, endReachable));
        }

        /// <summary>Wraps (or otherwise edits) a node inside a function; converts the enclosing handler if needed.</summary>
        private SyntaxNode? Wrap(SyntaxNode inside, int position, System.Func<ExpressionSyntax, SyntaxNode> edit)
        {
            var function = FunctionContext.Enclosing(inside, _model, _cancellationToken);
            if (function is null || Prepare(function, position) is not { } plan)
            {
                return null;
            }

            var old = inside is StatementSyntax { Parent: BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax } && _target.Kind == CodePathKind.Statements
                ? inside.Parent is GlobalStatementSyntax ? _root : inside.Parent!
                : inside;
            var replacement = edit(plan.Check);
            if (!plan.ConvertsHandler)
            {
                return old == _root ? replacement : _root.ReplaceNode(old, replacement);
            }

            if (plan.Handler is not ParenthesizedLambdaExpressionSyntax { ReturnType: null } handler || function.Symbol is null)
            {
                return null;
            }

            var edited = handler.ReplaceNode(old, replacement);
            var shape = HandlerShape.Of(function);
            return _root.ReplaceNode(handler, ConvertHandler(edited, plan, shape, guard: null, empty: null, endReachable: false));
        }

        /// <summary>
        /// Finds the client and builds the check. A flag check awaits: the function must be async, or an endpoint
        /// handler lambda that the fix makes async (its delegate type does not matter to MapGet and friends).
        /// </summary>
        private Plan? Prepare(FunctionContext function, int position)
        {
            var handler = function.Lambda is { } lambda && IsEndpointHandler(lambda) ? lambda : null;
            if (!function.IsAsync && handler is null)
            {
                return null;
            }

            ParameterSyntax? added = null;
            var client = FlagClient.FindInScope(_model, position, _api);
            if (client is null && handler is ParenthesizedLambdaExpressionSyntax)
            {
                var name = UniqueName(_api.ClientParameterName, position);
                added = Parameter(Identifier(name)).WithType(FlagSyntax.QualifiedType(_api.ClientTypeName));
                client = new FlagClient(IdentifierName(name), _api.ClientType);
            }
            else if (client is null && _api.HasStaticApi)
            {
                client = new FlagClient(FlagSyntax.QualifiedExpression("global::OpenFeature.Api.Instance.GetClient()"), _api.ClientType);
            }

            if (client is null)
            {
                return null;
            }

            var token = function.Symbol?.Parameters.FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.Type, _api.CancellationToken));
            var check = FlagSyntax.FlagCheck(
                _api,
                client,
                _target.Key,
                token is null ? null : IdentifierName(token.Name),
                FlagSyntax.HasAwaitWithConfigureAwaitFalse(function.Body));
            return new Plan(function, handler, added, check);
        }

        private string UniqueName(string name, int position)
        {
            var candidate = name;
            for (var i = 2; !_model.LookupSymbols(position, name: candidate).IsEmpty; i++)
            {
                candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        /// <summary>
        /// The statement that leaves the function when the flag is off: nothing to return → <c>return;</c>;
        /// otherwise a value that means "not there" without inventing a null: 404 for actions and IResult,
        /// <c>false</c>, <c>null</c> for nullable types, <c>default</c> for value types; a non-nullable reference
        /// type gets an InvalidOperationException naming the flag. Iterators <c>yield break</c>.
        /// </summary>
        private StatementSyntax? OffExit(FunctionContext function, int position)
        {
            if (function.IsIterator)
            {
                return YieldStatement(SyntaxKind.YieldBreakStatement);
            }

            if (function.Symbol is not { } symbol)
            {
                return null;
            }

            var valueType = HandlerShape.Of(function).ValueType;
            if (valueType is null)
            {
                return ReturnStatement();
            }

            if (IsActionResult(valueType) && DerivesFrom(symbol.ContainingType, "Microsoft.AspNetCore.Mvc.ControllerBase"))
            {
                return ReturnStatement(InvocationExpression(IdentifierName("NotFound")));
            }

            if (_api.HttpResult is not null && SymbolEqualityComparer.Default.Equals(valueType, _api.HttpResult) && _api.HttpResults is not null)
            {
                return ReturnStatement(FlagSyntax.QualifiedExpression("global::Microsoft.AspNetCore.Http.Results.NotFound()"));
            }

            if (valueType.SpecialType == SpecialType.System_Boolean)
            {
                return ReturnStatement(LiteralExpression(SyntaxKind.FalseLiteralExpression));
            }

            var isNullable = valueType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
                || (valueType.IsReferenceType && valueType.NullableAnnotation == NullableAnnotation.Annotated);
            if (isNullable && valueType is not ITypeParameterSymbol)
            {
                return ReturnStatement(LiteralExpression(SyntaxKind.NullLiteralExpression));
            }

            if (valueType.IsValueType || (valueType is ITypeParameterSymbol && valueType.NullableAnnotation == NullableAnnotation.Annotated))
            {
                return ReturnStatement(DefaultValue(valueType, position));
            }

            var message = $"'{MemberName(function.Node)}' is behind the feature flag '{_target.Key}', which is off.";
            return ThrowStatement(ObjectCreationExpression(
                FlagSyntax.QualifiedType("global::System.InvalidOperationException"),
                ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(message))))),
                null));
        }

        private ExpressionSyntax DefaultValue(ITypeSymbol type, int position) =>
            ((CSharpParseOptions)_root.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp7_1
                ? LiteralExpression(SyntaxKind.DefaultLiteralExpression)
                : DefaultExpression(ParseTypeName(type.ToMinimalDisplayString(_model, position)));

        private static bool IsActionResult(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                var name = current.OriginalDefinition.ToDisplayString();
                if (name is "Microsoft.AspNetCore.Mvc.IActionResult" or "Microsoft.AspNetCore.Mvc.ActionResult" or "Microsoft.AspNetCore.Mvc.ActionResult<TValue>")
                {
                    return true;
                }
            }

            return false;
        }

        private static bool DerivesFrom(INamedTypeSymbol? type, string baseName)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.ToDisplayString() == baseName)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when the lambda is passed as the <c>Delegate handler</c> of an ASP.NET Core Map* call.</summary>
        private bool IsEndpointHandler(AnonymousFunctionExpressionSyntax lambda)
        {
            if (lambda.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } arguments } argument
                || _model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol method
                || !(method.ContainingNamespace?.ToDisplayString() ?? string.Empty).StartsWith("Microsoft.AspNetCore", System.StringComparison.Ordinal))
            {
                return false;
            }

            var parameter = argument.NameColon is { } nameColon
                ? method.Parameters.FirstOrDefault(p => p.Name == nameColon.Name.Identifier.ValueText)
                : arguments.Arguments.IndexOf(argument) is var index && index < method.Parameters.Length ? method.Parameters[index] : null;
            return parameter?.Type.ToDisplayString() == "System.Delegate";
        }

        private string? MemberName(SyntaxNode node)
        {
            var declared = node is MemberDeclarationSyntax or LocalFunctionStatementSyntax ? _model.GetDeclaredSymbol(node, _cancellationToken) : null;
            for (var symbol = declared ?? _model.GetEnclosingSymbol(node.SpanStart, _cancellationToken); symbol is not null; symbol = symbol.ContainingSymbol)
            {
                switch (symbol)
                {
                    case IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction }:
                        continue;
                    case IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor:
                        return constructor.ContainingType.Name;
                    case IMethodSymbol { AssociatedSymbol: { } property }:
                        return property.Name;
                    case IMethodSymbol { Name: "<Main>$" }:
                        return null;
                    default:
                        return symbol.Name;
                }
            }

            return null;
        }

        /// <summary>Puts the guard first, followed by a blank line when the original statements follow.</summary>
        private SyntaxList<StatementSyntax> InsertFirst(SyntaxList<StatementSyntax> statements, StatementSyntax guard)
        {
            if (statements.Count > 0)
            {
                guard = guard.WithTrailingTrivia(_endOfLine, _endOfLine);
            }

            return statements.Insert(0, guard);
        }

        private static bool ReturnsValue(FunctionContext function) => !function.IsIterator && HandlerShape.Of(function).ValueType is not null;

        private BlockSyntax ExpressionBodyAsBlock(ExpressionSyntax expression, StatementSyntax guard, bool returnsValue, SyntaxTriviaList trailing) =>
            FlagSyntax.Lines(InsertFirst(SingletonList(FlagSyntax.AsStatement(expression, returnsValue)), guard), _endOfLine)
                .WithTrailingTrivia(trailing);

        /// <summary>
        /// Makes a handler lambda async (adding the client parameter when planned), keeping what it returns:
        /// a non-async handler that returned a task now awaits it. With a guard, the guard goes first and a
        /// handler that returned nothing returns <paramref name="empty"/> on every other path.
        /// </summary>
        private ParenthesizedLambdaExpressionSyntax ConvertHandler(
            ParenthesizedLambdaExpressionSyntax lambda,
            Plan plan,
            HandlerShape shape,
            StatementSyntax? guard,
            ExpressionSyntax? empty,
            bool endReachable)
        {
            var awaitReturns = !plan.Function.IsAsync && shape.ReturnsTask;
            CSharpSyntaxNode body;
            if (lambda.Body is ExpressionSyntax expression)
            {
                var value = awaitReturns ? AwaitExpression(expression.WithoutTrivia()) : expression.WithoutTrivia();
                if (guard is null)
                {
                    body = value.WithTriviaFrom(expression);
                }
                else
                {
                    var statements = new List<StatementSyntax>();
                    if (shape.ValueType is null)
                    {
                        statements.Add(awaitReturns ? ExpressionStatement(value) : FlagSyntax.AsStatement(expression, returnsValue: false));
                        statements.Add(ReturnStatement(empty));
                    }
                    else
                    {
                        statements.Add(ReturnStatement(value));
                    }

                    body = FlagSyntax.Lines(InsertFirst(List(statements), guard), _endOfLine).WithTrailingTrivia(expression.GetTrailingTrivia());
                }
            }
            else
            {
                var block = (BlockSyntax)lambda.Body;
                var returns = FunctionContext.OwnDescendants(block).OfType<ReturnStatementSyntax>().ToList();
                block = block.TrackNodes(returns);
                foreach (var original in returns)
                {
                    var current = block.GetCurrentNode(original)!;
                    if (current.Expression is { } returned && awaitReturns && shape.ValueType is null)
                    {
                        var awaited = ExpressionStatement(AwaitExpression(returned.WithoutTrivia())).WithTriviaFrom(current);
                        block = (BlockSyntax)FlagSyntax.Splice(block, current, new StatementSyntax[] { awaited, FlagSyntax.Return(empty) }, _endOfLine);
                    }
                    else if (current.Expression is { } value && awaitReturns)
                    {
                        block = block.ReplaceNode(current, current.WithExpression(AwaitExpression(value.WithoutTrivia()).WithTriviaFrom(value)));
                    }
                    else if (current.Expression is null && empty is not null)
                    {
                        block = block.ReplaceNode(current, current.WithExpression(empty).WithAdditionalAnnotations(Formatter.Annotation));
                    }
                }

                if (empty is not null && endReachable)
                {
                    block = block.AddStatements(ReturnStatement(empty).WithAdditionalAnnotations(Formatter.Annotation));
                }

                if (guard is not null)
                {
                    block = block.WithStatements(InsertFirst(block.Statements, guard));
                }

                body = block;
            }

            var result = lambda.WithBody(body);
            if (plan.AddedParameter is { } parameter)
            {
                result = result.WithParameterList(result.ParameterList.AddParameters(parameter));
            }

            if (!plan.Function.IsAsync)
            {
                var asyncKeyword = Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(Space);
                result = result.Modifiers.Count == 0
                    ? result.WithoutLeadingTrivia().WithModifiers(TokenList(asyncKeyword.WithLeadingTrivia(lambda.GetLeadingTrivia())))
                    : result.AddModifiers(asyncKeyword);
            }

            return result;
        }
    }

    /// <summary>What a function returns, seen through async: the awaited value type, or null for none.</summary>
    private readonly struct HandlerShape
    {
        private HandlerShape(ITypeSymbol? valueType, bool returnsTask)
        {
            ValueType = valueType;
            ReturnsTask = returnsTask;
        }

        /// <summary>The value callers get (T of Task&lt;T&gt; for async or task-returning functions); null for none.</summary>
        public ITypeSymbol? ValueType { get; }

        /// <summary>True when the declared return type is Task, ValueTask or their generic forms.</summary>
        public bool ReturnsTask { get; }

        public static HandlerShape Of(FunctionContext function)
        {
            var returnType = function.Symbol?.ReturnType;
            if (returnType is null || returnType.SpecialType == SpecialType.System_Void)
            {
                return new HandlerShape(null, returnsTask: false);
            }

            var isTask = returnType is INamedTypeSymbol named
                && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
                && named.Name is "Task" or "ValueTask";
            if (isTask)
            {
                var named2 = (INamedTypeSymbol)returnType;
                return new HandlerShape(named2.TypeArguments.Length == 1 ? named2.TypeArguments[0] : null, returnsTask: true);
            }

            return new HandlerShape(returnType, returnsTask: false);
        }
    }
}
