using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers;

/// <summary>The diagnostic descriptors, one per rule ID (see <see cref="RuleIdentifiers"/>).</summary>
internal static class Descriptors
{
    private const string ConfigurationCategory = "Configuration";
    private const string FeatureFlagsCategory = "FeatureFlags";
    private const string TestingCategory = "Testing";

    public static readonly DiagnosticDescriptor InvalidOption = new(
        RuleIdentifiers.InvalidOption,
        title: "Killswitch option is unknown or malformed",
        messageFormat: "{0}",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A 'killswitch.*' key in .editorconfig or a Killswitch MSBuild property could not be used. The rest of the configuration still applies.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.InvalidOption),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor InvalidBaseline = new(
        RuleIdentifiers.InvalidBaseline,
        title: "Killswitch baseline file does not parse",
        messageFormat: "{0}",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The baseline file (MSBuild property KillswitchBaselineFile) lists known findings as '<rule ID> <key>' lines; a line that is not of that form is ignored and reported.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.InvalidBaseline),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor InvalidNewCodeFile = new(
        RuleIdentifiers.InvalidNewCodeFile,
        title: "Killswitch could not read what git says is new",
        messageFormat: "The new-code file '{0}' written by Killswitch.Build does not parse ({1}); KS1001 is off for this compilation. Rebuild; if it persists, delete the obj folder and report the file's content.",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.InvalidNewCodeFile),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor UnguardedNewCode = new(
        RuleIdentifiers.UnguardedNewCode,
        title: "New code path is not behind a feature flag",
        messageFormat: "{0} is new code that no feature flag guards; put it behind a flag check, or mark it [NoFeatureFlag(\"reason\")] / '// killswitch: no-flag <reason>'",
        FeatureFlagsCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every change should ship dark: new code paths (members, branches, endpoints, added calls) should only run when a feature flag is on, so a bad feature is switched off instead of rolled back.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UnguardedNewCode));

    public static readonly DiagnosticDescriptor InvalidManifest = new(
        RuleIdentifiers.InvalidManifest,
        title: "Flag manifest is malformed",
        messageFormat: "{0}",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A flagd flag-definition file or OpenFeature CLI manifest could not be read, or one of its flags breaks a rule of the format. A bad flag is left out; the other flags still apply.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.InvalidManifest),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor MissingManifest = new(
        RuleIdentifiers.MissingManifest,
        title: "Flags are evaluated but there is no flag manifest",
        messageFormat: "This project evaluates feature flags ({0} call(s), the first '{1}') but has no flag manifest, so keys, types and defaults go unchecked; add a flags.json (flagd or OpenFeature CLI format) next to the project or above it, or set the MSBuild property KillswitchFlagManifest",
        ConfigurationCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.MissingManifest),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor UnknownFlagKey = new(
        RuleIdentifiers.UnknownFlagKey,
        title: "Flag key is not in the manifest",
        messageFormat: "Flag '{0}' is not defined in the flag manifest{1}; flag providers return the default value for unknown keys without an error",
        FeatureFlagsCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UnknownFlagKey));

    public static readonly DiagnosticDescriptor FlagTypeMismatch = new(
        RuleIdentifiers.FlagTypeMismatch,
        title: "Flag evaluated with the wrong type",
        messageFormat: "'{0}' evaluates flag '{1}' as {2}, but the manifest defines it as {3} ({4}); the provider will answer TYPE_MISMATCH and return the default",
        FeatureFlagsCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.FlagTypeMismatch));

    public static readonly DiagnosticDescriptor DefaultValueMismatch = new(
        RuleIdentifiers.DefaultValueMismatch,
        title: "Default value disagrees",
        messageFormat: "The default value {0} for flag '{1}' disagrees with {2}",
        FeatureFlagsCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.DefaultValueMismatch));

    public static readonly DiagnosticDescriptor UnknownVariantValue = new(
        RuleIdentifiers.UnknownVariantValue,
        title: "Flag value compared with a value it never has",
        messageFormat: "Flag '{0}' never has the value {1}: its variants are {2}",
        FeatureFlagsCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UnknownVariantValue));

    public static readonly DiagnosticDescriptor StaleFlag = new(
        RuleIdentifiers.StaleFlag,
        title: "Stale feature flag",
        messageFormat: "Flag '{0}' is stale: {1}; remove the flag and keep the variant that ships",
        FeatureFlagsCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.StaleFlag));

    public static readonly DiagnosticDescriptor NonConstantFlagKey = new(
        RuleIdentifiers.NonConstantFlagKey,
        title: "Flag key is not a compile-time constant",
        messageFormat: "The flag key passed to '{0}' is not a compile-time constant, so it cannot be checked against the manifest; use a literal, a const or a static FlagKeys member",
        FeatureFlagsCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.NonConstantFlagKey));

    public static readonly DiagnosticDescriptor UnhandledVariant = new(
        RuleIdentifiers.UnhandledVariant,
        title: "Switch over a flag does not handle every variant",
        messageFormat: "This switch over flag '{0}' has no case for {1} and no default",
        FeatureFlagsCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UnhandledVariant));

    public static readonly DiagnosticDescriptor UnusedFlag = new(
        RuleIdentifiers.UnusedFlag,
        title: "Manifest flag is not used",
        messageFormat: "Flag '{0}' is defined in the manifest but no code in {1} evaluates it; remove it from the manifest if it is dead",
        FeatureFlagsCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UnusedFlag),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor SingleVariantFlag = new(
        RuleIdentifiers.SingleVariantFlag,
        title: "Flag with a single variant decides nothing",
        messageFormat: "Flag '{0}' has a single variant ({1}) and is not marked permanent: it decides nothing; remove it, or add metadata \"permanent\": true if it is a kill switch",
        FeatureFlagsCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.SingleVariantFlag));

    public static readonly DiagnosticDescriptor UncoveredFlag = new(
        RuleIdentifiers.UncoveredFlag,
        title: "Manifest flag has no chaos test",
        messageFormat: "Flag '{0}' is in the manifest but no [FlagVariants] test in {1} runs it; add a [ChaosFact] test with [FlagVariants(\"{0}\")] so each of its variants is tested under chaos",
        TestingCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "In a test project that uses Killswitch.Xunit, every flag of the manifest should have a chaos test running each of its variants: a pull request that adds a flag also adds its chaos test.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UncoveredFlag),
        customTags: WellKnownDiagnosticTags.CompilationEnd);
}
