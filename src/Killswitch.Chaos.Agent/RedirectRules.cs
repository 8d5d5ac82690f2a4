using System.Globalization;

namespace Killswitch.Chaos.Agent;

/// <summary>
/// The iptables rules that feed a port's inbound connections to the proxy: <c>-t nat -A PREROUTING -p tcp --dport PORT
/// [-s FROM] -j REDIRECT --to-ports PROXY</c>, each carrying the comment <c>killswitch:TAG</c>. Only PREROUTING: traffic
/// the namespace sends itself (the proxy's own connections to the app on loopback) is never redirected. Removal and the
/// sweep find rules by their comment, so they need nothing but the tag.
/// </summary>
internal static class RedirectRules
{
    public const string CommentPrefix = "killswitch:";

    public static async Task AddAsync(string tag, int port, IReadOnlyList<string> from, int proxyPort, CancellationToken cancellationToken)
    {
        // One rule per source (or one for all): a REDIRECT rule only sees new connections; established ones keep flowing.
        var sources = from.Count == 0 ? [null] : from.Cast<string?>().ToArray();
        foreach (var source in sources)
        {
            List<string> rule = ["-w", "5", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", Str(port)];
            if (source is not null)
            {
                rule.AddRange(["-s", source]);
            }

            rule.AddRange(["-m", "comment", "--comment", CommentPrefix + tag, "-j", "REDIRECT", "--to-ports", Str(proxyPort)]);
            await Shell.RunCheckedAsync("iptables", rule, cancellationToken);
        }
    }

    /// <summary>Deletes the rules tagged <paramref name="tag"/> (every agent's when null). Returns how many.</summary>
    public static async Task<int> RemoveAsync(string? tag, CancellationToken cancellationToken)
    {
        var (code, listing) = await Shell.RunAsync("iptables", ["-w", "5", "-t", "nat", "-S", "PREROUTING"], cancellationToken);
        if (code != 0)
        {
            throw new AgentException($"'iptables -t nat -S PREROUTING' failed (exit {code}): {listing}");
        }

        var removed = 0;
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var comment = line.Contains("--comment", StringComparison.Ordinal) ? CommentOf(line) : null;
            if (comment is null || !comment.StartsWith(CommentPrefix, StringComparison.Ordinal) || (tag is not null && comment != CommentPrefix + tag))
            {
                continue;
            }

            // "-A PREROUTING ..." becomes "-D PREROUTING ...": the exact rule, as iptables printed it.
            var spec = Split(line);
            spec[0] = "-D";
            await Shell.RunCheckedAsync("iptables", ["-w", "5", "-t", "nat", .. spec], cancellationToken);
            removed++;
        }

        return removed;
    }

    private static string? CommentOf(string line)
    {
        var parts = Split(line);
        var i = parts.IndexOf("--comment");
        return i >= 0 && i + 1 < parts.Count ? parts[i + 1] : null;
    }

    /// <summary>Splits an <c>iptables -S</c> line; iptables quotes values with spaces in double quotes.</summary>
    private static List<string> Split(string line)
    {
        var result = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    result.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            result.Add(current.ToString());
        }

        return result;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
