using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers;

/// <summary>The diagnostic descriptors, one per rule ID (see <see cref="RuleIdentifiers"/>).</summary>
internal static class Descriptors
{
    private const string ConfigurationCategory = "Configuration";
    private const string FeatureFlagsCategory = "FeatureFlags";

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
}
