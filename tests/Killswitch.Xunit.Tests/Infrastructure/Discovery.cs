using Killswitch.Xunit.Fixture;
using Killswitch.Xunit.Sdk;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Killswitch.Xunit.Tests.Infrastructure;

/// <summary>Runs <see cref="ChaosFactDiscoverer"/> in-process on a method of the fixture assembly, as xunit's discovery does.</summary>
internal static class Discovery
{
    public static IReadOnlyList<IXunitTestCase> Discover(string methodName, bool withSystem = true, TestMethodDisplay display = TestMethodDisplay.ClassAndMethod)
    {
        var testMethod = TestMethodOf(typeof(DiscoveryShapes), methodName, withSystem);
        var attribute = testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Single();
        var options = new DiscoveryOptions();
        options.SetValue("xunit.discovery.MethodDisplay", display.ToString());
        return [.. new ChaosFactDiscoverer(new NullMessageSink()).Discover(options, testMethod, attribute)];
    }

    public static IReadOnlyList<ChaosTestCase> Cases(string methodName) => [.. Discover(methodName).Cast<ChaosTestCase>()];

    public static string Error(string methodName, bool withSystem = true) =>
        Assert.IsType<ExecutionErrorTestCase>(Assert.Single(Discover(methodName, withSystem))).ErrorMessage;

    public static ITestMethod TestMethodOf(Type type, string methodName, bool withSystem = true)
    {
        IAssemblyInfo assembly = Reflector.Wrap(type.Assembly);
        if (!withSystem)
        {
            assembly = new WithoutSystem(assembly);
        }

        var testAssembly = new TestAssembly(assembly);
        var collection = new TestCollection(testAssembly, null, "chaos");
        var testClass = new TestClass(collection, Reflector.Wrap(type));
        return new TestMethod(testClass, Reflector.Wrap(type.GetMethod(methodName)!));
    }

    private sealed class DiscoveryOptions : ITestFrameworkDiscoveryOptions
    {
        private readonly Dictionary<string, object?> _values = [];

        public TValue GetValue<TValue>(string name) => _values.TryGetValue(name, out var value) && value is TValue typed ? typed : default!;

        public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
    }

    /// <summary>The fixture assembly as if it had no [assembly: KillswitchSystem].</summary>
    private sealed class WithoutSystem(IAssemblyInfo inner) : LongLivedMarshalByRefObject, IAssemblyInfo
    {
        public string AssemblyPath => inner.AssemblyPath;

        public string Name => inner.Name;

        public IEnumerable<IAttributeInfo> GetCustomAttributes(string assemblyQualifiedAttributeTypeName) =>
            assemblyQualifiedAttributeTypeName.StartsWith(typeof(KillswitchSystemAttribute).FullName!, StringComparison.Ordinal) ? [] : inner.GetCustomAttributes(assemblyQualifiedAttributeTypeName);

        public ITypeInfo GetType(string typeName) => inner.GetType(typeName);

        public IEnumerable<ITypeInfo> GetTypes(bool includePrivateTypes) => inner.GetTypes(includePrivateTypes);
    }
}
