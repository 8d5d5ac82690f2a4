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
                    return FlagCall.From(invocation, api);
                case ILocalReferenceOperation local when depth < MaxDepth:
                    if (local.Local.DeclaringSyntaxReferences.Length == 1
                        && local.Local.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
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
}
