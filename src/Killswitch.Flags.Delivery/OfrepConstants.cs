namespace Killswitch.Flags.Delivery;

/// <summary>The paths, reasons and error codes of the OpenFeature Remote Evaluation Protocol (OFREP) that <see cref="OfrepServer"/> uses.</summary>
public static class OfrepConstants
{
    /// <summary>The bulk evaluation path; single evaluation appends <c>/{key}</c>.</summary>
    public const string EvaluateFlagsPath = "/ofrep/v1/evaluate/flags";

    /// <summary>Reason of a pinned variant or of a flag without targeting: the value is static.</summary>
    public const string ReasonStatic = "STATIC";

    /// <summary>Reason of a flag served its default: no targeting was evaluated, or the caller's code default applies.</summary>
    public const string ReasonDefault = "DEFAULT";

    /// <summary>Reason of a disabled flag: the caller's code default applies.</summary>
    public const string ReasonDisabled = "DISABLED";

    /// <summary>Error code (404) of a key the manifest does not define.</summary>
    public const string FlagNotFound = "FLAG_NOT_FOUND";

    /// <summary>Error code (400) of a request body that is not JSON or not a JSON object.</summary>
    public const string ParseError = "PARSE_ERROR";

    /// <summary>Error code (400) of a request whose <c>context</c> is not a JSON object.</summary>
    public const string InvalidContext = "INVALID_CONTEXT";
}
