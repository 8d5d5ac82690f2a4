namespace Shop.Checkout.Flags;

/// <summary>
/// Marks a method whose result is a feature-flag evaluation. Killswitch's KS1001 recognises the attribute by name, so a
/// code path that runs only when such a method returns <see langword="true"/> counts as behind a flag.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class FeatureFlagGuardAttribute : Attribute
{
}
