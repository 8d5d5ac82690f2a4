using System.Reflection;
using System.Runtime.ExceptionServices;
using Xunit.Abstractions;
using Xunit.Sdk;
using Killswitch.Chaos.Reporting;

namespace Killswitch.Xunit.Sdk;

/// <summary>xunit's case runner (class fixtures, constructor, before/after attributes), with the chaos invoker.</summary>
internal sealed class ChaosTestCaseRunner(
    ChaosTestCase testCase,
    string displayName,
    string? skipReason,
    object[] constructorArguments,
    object[] testMethodArguments,
    IMessageBus messageBus,
    ExceptionAggregator aggregator,
    CancellationTokenSource cancellationTokenSource,
    ChaosSession? session,
    IMessageSink diagnosticMessageSink,
    string? unavailable)
    : XunitTestCaseRunner(testCase, displayName, skipReason, constructorArguments, testMethodArguments, messageBus, aggregator, cancellationTokenSource)
{
    protected override XunitTestRunner CreateTestRunner(ITest test, IMessageBus messageBus, Type testClass, object[] constructorArguments, MethodInfo testMethod, object[] testMethodArguments, string skipReason, IReadOnlyList<BeforeAfterTestAttribute> beforeAfterAttributes, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource) =>
        new ChaosTestRunner(test, messageBus, testClass, constructorArguments, testMethod, testMethodArguments, skipReason, beforeAfterAttributes, aggregator, cancellationTokenSource, testCase.Case, session, diagnosticMessageSink, unavailable);
}

internal sealed class ChaosTestRunner(
    ITest test,
    IMessageBus messageBus,
    Type testClass,
    object[] constructorArguments,
    MethodInfo testMethod,
    object[] testMethodArguments,
    string skipReason,
    IReadOnlyList<BeforeAfterTestAttribute> beforeAfterAttributes,
    ExceptionAggregator aggregator,
    CancellationTokenSource cancellationTokenSource,
    ChaosCase chaosCase,
    ChaosSession? session,
    IMessageSink diagnosticMessageSink,
    string? unavailable)
    : XunitTestRunner(test, messageBus, testClass, constructorArguments, testMethod, testMethodArguments, skipReason, beforeAfterAttributes, aggregator, cancellationTokenSource)
{
    protected override Task<decimal> InvokeTestMethodAsync(ExceptionAggregator aggregator) =>
        new ChaosTestInvoker(Test, MessageBus, TestClass, ConstructorArguments, TestMethod, TestMethodArguments, BeforeAfterAttributes, aggregator, CancellationTokenSource, chaosCase, session, diagnosticMessageSink, unavailable)
            .RunAsync();
}

/// <summary>
/// Runs the case on the session's <see cref="ChaosHost"/> with the test method as the body, records the result for the
/// report, prints the progress line, and fails the test when the case did not pass.
/// </summary>
internal sealed class ChaosTestInvoker(
    ITest test,
    IMessageBus messageBus,
    Type testClass,
    object[] constructorArguments,
    MethodInfo testMethod,
    object[] testMethodArguments,
    IReadOnlyList<BeforeAfterTestAttribute> beforeAfterAttributes,
    ExceptionAggregator aggregator,
    CancellationTokenSource cancellationTokenSource,
    ChaosCase chaosCase,
    ChaosSession? session,
    IMessageSink diagnosticMessageSink,
    string? unavailable)
    : XunitTestInvoker(test, messageBus, testClass, constructorArguments, testMethod, testMethodArguments, beforeAfterAttributes, aggregator, cancellationTokenSource)
{
    protected override object CallTestMethod(object testClassInstance) => RunCaseAsync(testClassInstance);

    private async Task RunCaseAsync(object testClassInstance)
    {
        if (unavailable is not null)
        {
            throw new ChaosCaseFailedException(unavailable);
        }

        if (session is null)
        {
            throw new ChaosCaseFailedException(ChaosSystemLoader.NoSystemMessage);
        }

        if (session.Host is not { } host)
        {
            throw new ChaosCaseFailedException($"The chaos tests cannot run: {session.Problem}");
        }

        var result = await host.RunAsync(chaosCase, context => InvokeBodyAsync(testClassInstance, context), CancellationTokenSource.Token).ConfigureAwait(false);
        if (chaosCase.KnownWeakness is { } weakness)
        {
            // The report keeps the real outcome; the test passes only when the declared weakness showed.
            result = result.Outcome switch
            {
                CaseOutcome.Failed => result with { Message = $"Known weakness ({weakness}), failed as expected: {result.Message}" },
                CaseOutcome.Passed => result with { Message = $"Passed although [KnownWeakness] expects it to fail ({weakness})." },
                _ => result,
            };
        }

        session.Collector.Add(result, Test.DisplayName);
        ChaosProgress.Write(diagnosticMessageSink, ChaosCaseMessages.Progress(result, Test.DisplayName) + (chaosCase.KnownWeakness is { } w ? $" [known weakness: {w}]" : ""));
        switch (result.Outcome, chaosCase.KnownWeakness)
        {
            case (CaseOutcome.Passed, null):
            case (CaseOutcome.Failed, not null):
                return;
            case (CaseOutcome.Passed, { } expected):
                throw new ChaosCaseFailedException(
                    $"Variant {chaosCase.VariantName} under {chaosCase.Scenario.Name} was expected to fail ([KnownWeakness]: {expected}), but it passed: " +
                    "the weakness looks fixed. Remove the [KnownWeakness] attribute so the case guards the fix.");
            default:
                throw new ChaosCaseFailedException(result.Message ?? result.Outcome.ToString(), result.BodyException);
        }
    }

    private async Task InvokeBodyAsync(object testClassInstance, ChaosContext context)
    {
        object? returned;
        try
        {
            returned = TestMethod.Invoke(testClassInstance, TestMethod.GetParameters().Length == 1 ? [context] : []);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }

        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                break;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                break;
        }
    }
}
