using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Killswitch.Xunit.Sdk;

/// <summary>Tells xunit that <see cref="KillswitchSystemAttribute"/> installs <see cref="KillswitchTestFramework"/>.</summary>
public sealed class KillswitchTestFrameworkTypeDiscoverer : ITestFrameworkTypeDiscoverer
{
    /// <inheritdoc />
    public Type GetTestFrameworkType(IAttributeInfo attribute) => typeof(KillswitchTestFramework);
}

/// <summary>
/// xunit's own test framework, plus the chaos session's lifetime around the assembly's run: the system starts with
/// the first chaos case and stops, and the report is written, when the last test has run.
/// </summary>
public sealed class KillswitchTestFramework : XunitTestFramework
{
    /// <summary>Creates the framework.</summary>
    public KillswitchTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
    }

    /// <inheritdoc />
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new KillswitchTestFrameworkExecutor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);
}

/// <summary>Runs the assembly with <see cref="KillswitchTestAssemblyRunner"/>.</summary>
public sealed class KillswitchTestFrameworkExecutor : XunitTestFrameworkExecutor
{
    /// <summary>Creates the executor.</summary>
    public KillswitchTestFrameworkExecutor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : base(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
    }

    /// <inheritdoc />
#pragma warning disable CA1031, VSTHRD100 // xunit's executor contract is async void; the runner reports its own failures.
    protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
#pragma warning restore CA1031, VSTHRD100
    {
        using var runner = new KillswitchTestAssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
        await runner.RunAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// xunit's assembly runner with the chaos session: created after the assembly starts, finished (system stopped, report
/// written, its location printed) before the assembly finishes.
/// </summary>
public sealed class KillswitchTestAssemblyRunner : XunitTestAssemblyRunner
{
    private ChaosSession? _session;

    /// <summary>Creates the runner.</summary>
    public KillswitchTestAssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : base(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
    }

    /// <inheritdoc />
    protected override async Task AfterTestAssemblyStartingAsync()
    {
        await base.AfterTestAssemblyStartingAsync().ConfigureAwait(false);
        var attribute = TestAssembly.Assembly.GetCustomAttributes(typeof(KillswitchSystemAttribute)).FirstOrDefault();
        if (attribute is null || !TestCases.OfType<ChaosTestCase>().Any())
        {
            return;
        }

        var systemType = attribute.GetConstructorArguments().FirstOrDefault() as Type;
        var assemblyDirectory = Path.GetDirectoryName(TestAssembly.Assembly.AssemblyPath) ?? AppContext.BaseDirectory;
        _session = ChaosSession.Start(
            systemType!,
            assemblyDirectory,
            attribute.GetNamedArgument<string?>(nameof(KillswitchSystemAttribute.ReportDirectory)),
            attribute.GetNamedArgument<string?>(nameof(KillswitchSystemAttribute.ReportTitle)));
        ChaosProgress.Write(DiagnosticMessageSink, $"[killswitch] target {_session.Host?.TargetName ?? "(none)"}; report directory {_session.ReportDirectory}");
    }

    /// <inheritdoc />
    protected override async Task BeforeTestAssemblyFinishedAsync()
    {
        if (_session is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            var written = await ChaosReport.WriteAsync(session).ConfigureAwait(false);
            ChaosProgress.Write(DiagnosticMessageSink, written);
        }

        await base.BeforeTestAssemblyFinishedAsync().ConfigureAwait(false);
    }
}
