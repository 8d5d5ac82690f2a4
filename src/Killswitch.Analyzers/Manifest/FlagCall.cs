using System;
using Killswitch.Flags;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Killswitch.Analyzers.Manifest;

/// <summary>
/// One flag evaluation in code: which key (resolved through literals, constants, <c>nameof</c> and static
/// <c>FlagKeys.*</c> members), which type the call expects, and the code's default value.
/// </summary>
internal sealed class FlagCall
{
    private FlagCall(IInvocationOperation invocation, IArgumentOperation keyArgument, string? key, FlagType? expectedType, IArgumentOperation? defaultArgument)
    {
        Invocation = invocation;
        KeyArgument = keyArgument;
        Key = key;
        ExpectedType = expectedType;
        DefaultArgument = defaultArgument;
    }

    public IInvocationOperation Invocation { get; }

    public IArgumentOperation KeyArgument { get; }

    /// <summary>The key, or null when it is not a compile-time constant (KS1007).</summary>
    public string? Key { get; }

    /// <summary>The manifest type the call evaluates, or null when any type goes (e.g. <c>GetVariantAsync</c>).</summary>
    public FlagType? ExpectedType { get; }

    /// <summary>The code's default value argument, when the API has one.</summary>
    public IArgumentOperation? DefaultArgument { get; }

    public string MethodName => Invocation.TargetMethod.Name;

    /// <summary>Describes a flag evaluation, or returns null for any other call.</summary>
    public static FlagCall? From(IInvocationOperation invocation, Guards.FlagApi api)
    {
        if (api.Classify(invocation.TargetMethod) == Guards.FlagEvaluationKind.None)
        {
            return null;
        }

        IArgumentOperation? keyArgument = null;
        IArgumentOperation? defaultArgument = null;
        foreach (var argument in invocation.Arguments)
        {
            var name = argument.Parameter?.Name;
            if (keyArgument is null && name is "flagKey" or "feature" or "key" or "featureName" or "flag")
            {
                keyArgument = argument;
            }
            else if (name == "defaultValue")
            {
                defaultArgument = argument;
            }
        }

        if (keyArgument is null)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Type.SpecialType == SpecialType.System_String)
                {
                    keyArgument = argument;
                    break;
                }
            }
        }

        if (keyArgument is null)
        {
            return null;
        }

        return new FlagCall(invocation, keyArgument, ResolveKey(keyArgument.Value), ExpectedTypeOf(invocation.TargetMethod.Name), defaultArgument);
    }

    /// <summary>Returns the string a key expression always has: constants, nameof, and static readonly fields or
    /// get-only properties initialised with a literal (the usual <c>FlagKeys</c> class).</summary>
    internal static string? ResolveKey(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value.ConstantValue is { HasValue: true, Value: string constant })
        {
            return constant;
        }

        ISymbol? member = value switch
        {
            IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } => field,
            IPropertyReferenceOperation { Property: { IsStatic: true, SetMethod: null } property } => property,
            _ => null,
        };
        if (member is null || member.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var syntax = member.DeclaringSyntaxReferences[0].GetSyntax();
        var initializer = syntax switch
        {
            VariableDeclaratorSyntax { Initializer.Value: { } fieldValue } => fieldValue,
            PropertyDeclarationSyntax { Initializer.Value: { } propertyValue } => propertyValue,
            PropertyDeclarationSyntax { ExpressionBody.Expression: { } arrow } => arrow,
            _ => null,
        };
        return initializer is LiteralExpressionSyntax literal && literal.Token.Value is string text ? text : null;
    }

    private static FlagType? ExpectedTypeOf(string method)
    {
        if (method.IndexOf("Boolean", StringComparison.Ordinal) >= 0 || method.StartsWith("Bool", StringComparison.Ordinal)
            || method == "IsEnabledAsync")
        {
            return FlagType.Boolean;
        }

        if (method.IndexOf("String", StringComparison.Ordinal) >= 0)
        {
            return FlagType.String;
        }

        if (method.IndexOf("Integer", StringComparison.Ordinal) >= 0 || method.StartsWith("Int", StringComparison.Ordinal))
        {
            return FlagType.Integer;
        }

        if (method.IndexOf("Double", StringComparison.Ordinal) >= 0 || method.StartsWith("Float", StringComparison.Ordinal))
        {
            return FlagType.Float;
        }

        if (method.IndexOf("Object", StringComparison.Ordinal) >= 0 || method.StartsWith("Json", StringComparison.Ordinal))
        {
            return FlagType.Object;
        }

        return null;
    }
}
