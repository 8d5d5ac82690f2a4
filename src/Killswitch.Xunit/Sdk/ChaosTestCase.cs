using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;
using Xunit.Sdk;
using Killswitch.Chaos.Reporting;

namespace Killswitch.Xunit.Sdk;

/// <summary>
/// One chaos case as an xunit test case: display name <c>Method(new-checkout: on, chaos: PodKill app=payments)</c>,
/// traits <c>Flag</c> and <c>Chaos</c>, a unique id derived from the case's variant and scenario (so Test Explorer never
/// collapses two cases), and the whole case serialized (strings only, so discovery never hangs on an object it cannot
/// serialize).
/// </summary>
public sealed class ChaosTestCase : XunitTestCase
{
    private const string CaseKey = "KillswitchChaosCase";

    private ChaosCase? _case;

    /// <summary>For the deserializer only.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ChaosTestCase()
    {
    }

    /// <summary>Creates the test case of <paramref name="chaosCase"/>.</summary>
    public ChaosTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod, ChaosCase chaosCase)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
        _case = chaosCase;
    }

    /// <summary>The case.</summary>
    public ChaosCase Case => _case ?? throw new InvalidOperationException("The test case was not deserialized.");

    /// <inheritdoc />
    public override void Serialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        base.Serialize(data);
        data.AddValue(CaseKey, Case.ToJson());
    }

    /// <inheritdoc />
    public override void Deserialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _case = ChaosCase.FromJson(data.GetValue<string>(CaseKey));
        base.Deserialize(data);
    }

    /// <inheritdoc />
    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        var session = ChaosSession.Current;
        var skipReason = SkipReason;
        string? unavailable = null;
        if (skipReason is null && session?.Host is { } host)
        {
            var availability = await host.CheckAvailabilityAsync(cancellationTokenSource.Token).ConfigureAwait(false);
            if (!availability.IsAvailable)
            {
                unavailable = $"Target '{host.TargetName}' cannot run here: {availability.Reason}";

                // A skip in CI is broken CI: there the missing engine fails the case instead.
                if (!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    skipReason = unavailable;
                    session.Collector.Add(new ChaosCaseResult(Case, CaseOutcome.Skipped, unavailable, null, TimeSpan.Zero, host.TargetName), DisplayName);
                    ChaosProgress.Write(diagnosticMessageSink, ChaosCaseMessages.Progress(new ChaosCaseResult(Case, CaseOutcome.Skipped, unavailable, null, TimeSpan.Zero, host.TargetName), DisplayName));
                }
                else
                {
                    unavailable += " (CI=true: a target that cannot run fails the case instead of skipping it)";
                }
            }
        }

        var arguments = TestMethod.Method.GetParameters().Any() ? new object?[] { null } : [];
        return await new ChaosTestCaseRunner(this, DisplayName, skipReason, constructorArguments, arguments!, messageBus, aggregator, cancellationTokenSource, session, diagnosticMessageSink, unavailable)
            .RunAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Initialize()
    {
        base.Initialize();
        DisplayName = Case.DisplayName(BaseDisplayName);
        foreach (var (name, value) in Case.Traits)
        {
            if (!Traits.TryGetValue(name, out var values))
            {
                Traits[name] = values = [];
            }

            if (!values.Contains(value, StringComparer.Ordinal))
            {
                values.Add(value);
            }
        }
    }

    /// <inheritdoc />
    protected override string GetUniqueID()
    {
        // xunit's id covers assembly, class and method; the case's id adds variant and scenario. SHA-256 over all of
        // it: stable across runs and machines, different for every case of a method.
        var text = string.Join("\n", TestMethod.TestClass.TestCollection.TestAssembly.Assembly.Name, Case.Id);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }
}
