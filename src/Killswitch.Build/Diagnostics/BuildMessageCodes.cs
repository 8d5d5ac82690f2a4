namespace Killswitch.Build.Diagnostics;

/// <summary>
/// Codes of the messages Killswitch.Build logs itself (the analyzers' IDs are KSxxxx). Each has a heading in
/// docs/msbuild.md; codes are never reused.
/// </summary>
internal static class BuildMessageCodes
{
    /// <summary>Git could not be started.</summary>
    public const string GitNotFound = "KSB001";

    /// <summary>The project is not inside a git working tree.</summary>
    public const string NotARepository = "KSB002";

    /// <summary>None of the base refs tried exists.</summary>
    public const string BaseRefNotFound = "KSB003";

    /// <summary>A shallow clone lacks the history that joins HEAD and the base ref.</summary>
    public const string ShallowWithoutMergeBase = "KSB004";

    /// <summary>HEAD and the base ref have no common history (and the clone is complete).</summary>
    public const string NoMergeBase = "KSB005";

    /// <summary>Git refuses to work in the repository (<c>safe.directory</c>).</summary>
    public const string UnsafeRepository = "KSB006";

    /// <summary>Git failed in another way, or timed out.</summary>
    public const string GitFailed = "KSB007";

    /// <summary>A Killswitch MSBuild property has a value that is not allowed.</summary>
    public const string InvalidProperty = "KSB010";

    /// <summary><c>KillswitchBaselineFile</c> names a file that does not exist (logged by the targets).</summary>
    public const string BaselineNotFound = "KSB011";

    /// <summary><c>KillswitchFlagManifest</c> names a file that does not exist (logged by the targets).</summary>
    public const string FlagManifestNotFound = "KSB012";

    /// <summary>The compiler's SARIF log is missing or unreadable, so no summary or baseline could be written.</summary>
    public const string SarifUnreadable = "KSB021";

    /// <summary>A finding carries no baseline key, so it cannot be written to the baseline.</summary>
    public const string MissingBaselineKey = "KSB022";

    public const string DocsUrl = "https://github.com/killswitch-dev/killswitch/blob/main/docs/msbuild.md";

    /// <summary>The heading of a code in docs/msbuild.md.</summary>
    public static string HelpLink(string code) => DocsUrl + "#" + code.ToLowerInvariant();
}
