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

    /// <summary>A new code path is not behind a feature flag.</summary>
    public const string UnguardedNewCode = "KS1001";

    /// <summary>The base address of the rule pages.</summary>
    public const string HelpLinkBase = "https://github.com/killswitch-dev/killswitch/blob/main/docs/rules/";

    /// <summary>Returns the help link of a rule: its page under <c>docs/rules/</c>.</summary>
    public static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
