namespace Killswitch.Analyzers;

/// <summary>
/// Every diagnostic ID Killswitch reports, and where its documentation lives. IDs are never reused.
/// KS0xxx: configuration of Killswitch itself. KS1xxx: feature-flag rules in product code.
/// KS2xxx: rules for test projects.
/// </summary>
public static class RuleIdentifiers
{
    /// <summary>A <c>killswitch.*</c> option in .editorconfig is unknown or malformed.</summary>
    public const string InvalidOption = "KS0001";

    /// <summary>The new-code baseline file does not parse.</summary>
    public const string InvalidBaseline = "KS0002";

    /// <summary>The new-code information handed over by MSBuild does not parse.</summary>
    public const string InvalidNewCodeFile = "KS0003";

    /// <summary>A flag manifest does not parse or breaks a rule of its format.</summary>
    public const string InvalidManifest = "KS0004";

    /// <summary>The project evaluates flags but has no flag manifest.</summary>
    public const string MissingManifest = "KS0005";

    /// <summary>A new code path is not behind a feature flag.</summary>
    public const string UnguardedNewCode = "KS1001";

    /// <summary>A flag key is not in the manifest.</summary>
    public const string UnknownFlagKey = "KS1002";

    /// <summary>The evaluation's type does not match the flag's type in the manifest.</summary>
    public const string FlagTypeMismatch = "KS1003";

    /// <summary>The code's default value disagrees with the manifest or with another call site.</summary>
    public const string DefaultValueMismatch = "KS1004";

    /// <summary>A flag's value is compared with a literal that is not one of its variants.</summary>
    public const string UnknownVariantValue = "KS1005";

    /// <summary>A stale flag: past its expiry, or disabled.</summary>
    public const string StaleFlag = "KS1006";

    /// <summary>A flag key that is not a compile-time constant cannot be checked.</summary>
    public const string NonConstantFlagKey = "KS1007";

    /// <summary>A switch over a flag's value does not handle every variant.</summary>
    public const string UnhandledVariant = "KS1008";

    /// <summary>A manifest flag that no code in the compilation evaluates.</summary>
    public const string UnusedFlag = "KS1009";

    /// <summary>A non-permanent flag with a single variant decides nothing.</summary>
    public const string SingleVariantFlag = "KS1010";

    /// <summary>A manifest flag that no chaos test of the test project runs under its variants ([FlagVariants]).</summary>
    public const string UncoveredFlag = "KS2001";

    /// <summary>The base address of the rule pages.</summary>
    public const string HelpLinkBase = "https://github.com/killswitch-dev/killswitch/blob/main/docs/rules/";

    /// <summary>Returns the help link of a rule: its page under <c>docs/rules/</c>.</summary>
    public static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
