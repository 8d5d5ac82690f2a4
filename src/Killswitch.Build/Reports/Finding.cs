namespace Killswitch.Build.Reports;

/// <summary>One result of the compiler's SARIF log that Killswitch reports on.</summary>
internal sealed class Finding
{
    public Finding(string ruleId, string level, string message, string? filePath, int line, int column, string? baselineKey, string? helpUri)
    {
        RuleId = ruleId;
        Level = level;
        Message = message;
        FilePath = filePath;
        Line = line;
        Column = column;
        BaselineKey = baselineKey;
        HelpUri = helpUri;
    }

    public string RuleId { get; }

    /// <summary>SARIF level: error, warning, note.</summary>
    public string Level { get; }

    public string Message { get; }

    /// <summary>A local path, or null when the result has no location.</summary>
    public string? FilePath { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The analyzer's <c>KillswitchBaselineKey</c> property: the member or endpoint, stable across edits.</summary>
    public string? BaselineKey { get; }

    public string? HelpUri { get; }
}
