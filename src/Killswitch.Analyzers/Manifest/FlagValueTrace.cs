using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Manifest;

/// <summary>Traces a value back to the flag evaluation that produced it: directly, through <c>await</c>,
/// <c>.Value</c> of evaluation details, or a local initialised from one.</summary>
internal static class FlagValueTrace
{
    private const int MaxDepth = 3;

    public static FlagCall? Trace(IOperation? value, Guards.FlagApi api, int depth = 0)
    {
        while (value is not null)
        {
            switch (value)
            {
                case IConversionOperation conversion:
                    value = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    value = parenthesized.Operand;
                    continue;
                case IAwaitOperation await:
                    value = await.Operation;
                    continue;
                case IPropertyReferenceOperation { Property.Name: "Value", Instance: { } details }:
                    value = details;
                    continue;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaited }:
                    value = awaited;
                    continue;
                case IInvocationOperation invocation:
                    return api.MayEvaluateFlag(invocation.TargetMethod.Name) ? FlagCall.From(invocation, api) : null;
                case ILocalReferenceOperation local when depth < MaxDepth:
                    // The initializer's operation is asked for only when its syntax ends in a call a flag API could
                    // make: most locals compared with a string are not flag values, and binding costs.
                    var declarations = local.Local.DeclaringSyntaxReferences;
                    if (declarations.Length == 1
                        && declarations[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                        && MayBeFlagValue(initializer, api)
                        && value.SemanticModel is { } model
                        && initializer.SyntaxTree == model.SyntaxTree)
                    {
                        return Trace(model.GetOperation(initializer), api, depth + 1);
                    }

                    return null;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The syntax shapes <see cref="Trace"/> follows, ending in a call with a flag API's method name.</summary>
    private static bool MayBeFlagValue(ExpressionSyntax expression, Guards.FlagApi api)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    continue;
                case AwaitExpressionSyntax awaited:
                    expression = awaited.Expression;
                    continue;
                case CastExpressionSyntax cast:
                    expression = cast.Expression;
                    continue;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Value" } member:
                    expression = member.Expression;
                    continue;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configured }:
                    expression = configured.Expression;
                    continue;
                case InvocationExpressionSyntax invocation:
                    return invocation.Expression switch
                    {
                        MemberAccessExpressionSyntax member => api.MayEvaluateFlag(member.Name.Identifier.ValueText),
                        MemberBindingExpressionSyntax binding => api.MayEvaluateFlag(binding.Name.Identifier.ValueText),
                        SimpleNameSyntax name => api.MayEvaluateFlag(name.Identifier.ValueText),
                        _ => true,
                    };
                default:
                    return expression is ConditionalAccessExpressionSyntax;
            }
        }
    }
}
