using System.Text;

namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>
/// Derives a flag key when a diagnostic carries none: kebab-case words of the member name without its
/// <c>Async</c> suffix (<c>PlaceOrderAsync</c> → <c>place-order</c>), or the literal segments of a route
/// (<c>/orders/{id}/refund</c> → <c>orders-refund</c>). The analyzer's <c>KillswitchFlagKey</c> wins when present.
/// </summary>
internal static class FlagKeys
{
    private const string AsyncSuffix = "Async";

    /// <summary>The fallback key when neither a name nor a route gives one.</summary>
    public const string Fallback = "new-feature";

    public static string FromMemberName(string? name)
    {
        if (name is null || name.Length == 0)
        {
            return Fallback;
        }

        if (name.Length > AsyncSuffix.Length && name.EndsWith(AsyncSuffix, System.StringComparison.Ordinal))
        {
            name = name.Substring(0, name.Length - AsyncSuffix.Length);
        }

        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                AppendSeparator(builder);
                continue;
            }

            if (char.IsUpper(c) && i > 0 && StartsWord(name, i))
            {
                AppendSeparator(builder);
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        var key = builder.ToString().Trim('-');
        return key.Length == 0 ? Fallback : key;
    }

    public static string FromRoute(string? route)
    {
        if (route is null)
        {
            return Fallback;
        }

        var builder = new StringBuilder(route.Length);
        foreach (var segment in route.Split('/'))
        {
            if (segment.Length == 0 || segment[0] == '{')
            {
                continue;
            }

            var words = FromMemberName(segment);
            if (words == Fallback)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append('-');
            }

            builder.Append(words);
        }

        return builder.Length == 0 ? Fallback : builder.ToString();
    }

    // A capital starts a word after a lower-case letter or digit ("placeOrder"), or before a lower-case letter
    // when it ends an acronym ("HTTPClient" → "http-client").
    private static bool StartsWord(string name, int i)
    {
        var previous = name[i - 1];
        if (char.IsLower(previous) || char.IsDigit(previous))
        {
            return true;
        }

        return char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]);
    }

    private static void AppendSeparator(StringBuilder builder)
    {
        if (builder.Length > 0 && builder[builder.Length - 1] != '-')
        {
            builder.Append('-');
        }
    }
}
