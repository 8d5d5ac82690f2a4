using System.Collections.Concurrent;
using System.Reflection;
using Killswitch.Chaos;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Killswitch.Xunit.Sdk;

/// <summary>
/// Discovers the cases of a <see cref="ChaosFactAttribute"/> method: reads its <see cref="FlagVariantsAttribute"/>s and
/// fault attributes, expands them against the system's manifest (<see cref="ChaosCaseExpander"/>), and returns one
/// <see cref="ChaosTestCase"/> per variant x scenario, or one failing case that lists every problem.
/// </summary>
public sealed class ChaosFactDiscoverer : IXunitTestCaseDiscoverer
{
    private static readonly ConcurrentDictionary<(Type, string), LoadedManifest> s_manifests = new();

    private readonly IMessageSink _diagnosticMessageSink;

    /// <summary>Creates the discoverer.</summary>
    public ChaosFactDiscoverer(IMessageSink diagnosticMessageSink)
    {
        _diagnosticMessageSink = diagnosticMessageSink;
    }

    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var test = testMethod.TestClass.Class.Name + "." + testMethod.Method.Name;
        IXunitTestCase Error(IReadOnlyList<string> problems) =>
            new ExecutionErrorTestCase(_diagnosticMessageSink, display, displayOptions, testMethod, ChaosCaseExpander.FormatProblems(test, problems));

        var expansion = Expand(testMethod, out var problems);
        if (problems.Count > 0)
        {
            return [Error(problems)];
        }

        return expansion!.Cases.Select(c => (IXunitTestCase)new ChaosTestCase(_diagnosticMessageSink, display, displayOptions, testMethod, c)).ToArray();
    }

    /// <summary>The expansion of <paramref name="testMethod"/>, or the problems that stop it.</summary>
    internal static ChaosExpansion? Expand(ITestMethod testMethod, out IReadOnlyList<string> problems)
    {
        var method = testMethod.Method.ToRuntimeMethod();
        if (method is null)
        {
            problems = [$"{testMethod.Method.Name} could not be loaded by reflection; chaos tests need reflection-based discovery."];
            return null;
        }

        var found = new List<string>();
        var systemAttribute = testMethod.TestClass.TestCollection.TestAssembly.Assembly.GetCustomAttributes(typeof(KillswitchSystemAttribute)).FirstOrDefault();
        LoadedManifest? manifest = null;
        if (systemAttribute is null)
        {
            found.Add(ChaosSystemLoader.NoSystemMessage);
        }
        else
        {
            var systemType = systemAttribute.GetConstructorArguments().FirstOrDefault() as Type;
            try
            {
                var directory = Path.GetDirectoryName(testMethod.TestClass.TestCollection.TestAssembly.Assembly.AssemblyPath) ?? AppContext.BaseDirectory;
                manifest = s_manifests.GetOrAdd((systemType!, directory), key => ChaosSystemLoader.LoadManifest(ChaosSystemLoader.Create(key.Item1), key.Item2));
                found.AddRange(manifest.Problems);
            }
            catch (ChaosValidationException e)
            {
                found.AddRange(e.Errors);
            }
        }

        var parameters = method.GetParameters();
        if (parameters.Length > 1 || (parameters.Length == 1 && parameters[0].ParameterType != typeof(ChaosContext)))
        {
            found.Add($"{method.Name} takes ({string.Join(", ", parameters.Select(p => p.ParameterType.Name + " " + p.Name))}); a chaos test takes no parameter or one ChaosContext.");
        }

        var fact = method.GetCustomAttribute<ChaosFactAttribute>() ?? new ChaosFactAttribute();
        var spec = new ChaosMethodSpec(
            testMethod.TestClass.Class.Name,
            method.Name,
            [.. method.GetCustomAttributes<FlagVariantsAttribute>().Select(a => new KeyValuePair<string, IReadOnlyList<string>>(a.FlagKey, a.Variants))],
            [.. method.GetCustomAttributes<FaultAttribute>().Select(a => a.ToSpec())],
            fact.Combine,
            fact.Baseline,
            fact.Matrix,
            [.. method.GetCustomAttributes<KnownWeaknessAttribute>().Select(a => (a.Variant, a.Scenario, a.Reason))]);

        var expansion = ChaosCaseExpander.Expand(spec, manifest?.Manifest, manifest?.Name ?? "no manifest");

        // Without a system, or with a manifest that did not load, "needs the manifest" would repeat what is said above.
        var manifestMissing = found.Count > 0 && manifest?.Manifest is null;
        found.AddRange(expansion.Problems.Where(p => !manifestMissing || !p.StartsWith("[FlagVariants(", StringComparison.Ordinal)));
        problems = found;
        return expansion;
    }
}
