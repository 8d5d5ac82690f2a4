using System;

namespace Killswitch.Build.NewCode;

/// <summary>Which code counts as new (<c>KillswitchNewCodeScope</c>); mirrors the analyzer's enum of the same name.</summary>
internal enum NewCodeScope
{
    /// <summary>Lines added relative to the merge-base with the base ref, working tree included.</summary>
    Changed,

    /// <summary>All code is new.</summary>
    All,

    /// <summary>Nothing is new.</summary>
    None,
}

/// <summary>What to do when git cannot tell what is new (<c>KillswitchNewCodeFallback</c>).</summary>
internal enum NewCodeFallback
{
    /// <summary>Nothing counts as new: KS1001 is quiet, a warning says why.</summary>
    None,

    /// <summary>All code counts as new: KS1001 reports every unguarded path.</summary>
    All,

    /// <summary>The build fails (the default in gate mode: a gate must not pass because it could not look).</summary>
    Error,
}

internal static class NewCodeOptions
{
    public static bool TryParseScope(string? value, out NewCodeScope scope) => TryParse(value, out scope);

    public static bool TryParseFallback(string? value, out NewCodeFallback fallback) => TryParse(value, out fallback);

    private static bool TryParse<T>(string? value, out T result)
        where T : struct
    {
        result = default;
        var text = (value ?? string.Empty).Trim();
        return text.Length > 0 && !char.IsDigit(text[0]) && Enum.TryParse(text, ignoreCase: true, out result) && Enum.IsDefined(typeof(T), result);
    }
}
