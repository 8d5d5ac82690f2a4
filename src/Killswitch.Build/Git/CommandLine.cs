using System.Collections.Generic;
using System.Text;

namespace Killswitch.Build.Git;

/// <summary>
/// Builds a process argument string. netstandard2.0 has no <c>ProcessStartInfo.ArgumentList</c>, and .NET splits
/// <c>Arguments</c> with the Windows rules on every platform, so arguments are quoted with those rules.
/// </summary>
internal static class CommandLine
{
    private static readonly char[] NeedsQuotes = { ' ', '\t', '\n', '\v', '"' };

    public static string Join(IEnumerable<string> arguments)
    {
        var builder = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            Append(builder, argument);
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder builder, string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(NeedsQuotes) < 0)
        {
            builder.Append(argument);
            return;
        }

        builder.Append('"');
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                // Backslashes before a quote are doubled, and the quote itself is escaped.
                builder.Append('\\', (backslashes * 2) + 1);
            }
            else
            {
                builder.Append('\\', backslashes);
            }

            backslashes = 0;
            builder.Append(c);
        }

        // Backslashes before the closing quote are doubled so they do not escape it.
        builder.Append('\\', backslashes * 2);
        builder.Append('"');
    }
}
