namespace Killswitch.Flags;

/// <summary>One problem in a manifest: where it is, what is wrong and how to fix it.</summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed class ManifestDiagnostic
{
    internal ManifestDiagnostic(ManifestErrorCode code, string message, SourceLocation location, string? flagKey)
    {
        Code = code;
        Message = message;
        Location = location;
        FlagKey = flagKey;
    }

    /// <summary>What kind of problem this is.</summary>
    public ManifestErrorCode Code { get; }

    /// <summary>What is wrong and how to fix it, in one or two sentences (pinned by tests; listed in docs/flags.md).</summary>
    public string Message { get; }

    /// <summary>Where the problem is: the file, and the line and column of the offending value.</summary>
    public SourceLocation Location { get; }

    /// <summary>
    /// The key of the flag that was skipped because of this problem, or null when the problem concerns the file (e.g. invalid JSON).
    /// A tool that reports unknown flag keys can stay quiet about these keys: they are known, but broken.
    /// </summary>
    public string? FlagKey { get; }

    /// <summary>The diagnostic as compilers print one: <c>path(line,column): error InvalidJson: message</c>.</summary>
    public override string ToString() => Location + ": error " + Code + ": " + Message;
}
