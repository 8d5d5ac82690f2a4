using System.Globalization;

namespace Killswitch.Chaos.Agent;

/// <summary>
/// The agent's iptables rules. For the proxy mechanism, the rules that feed a port's inbound connections to the proxy: <c>-t nat -A PREROUTING -p tcp --dport PORT
/// [-s FROM] -j REDIRECT --to-ports PROXY</c>, and (unless told to keep them) <c>-t filter -A INPUT -p tcp --dport PORT
/// ! -i lo [-s FROM] -j REJECT --reject-with tcp-reset</c> for connections opened before the fault, each carrying the
/// comment <c>killswitch:TAG</c>. Only inbound chains: traffic the namespace sends itself (the proxy's own connections to
/// the app on loopback) is never touched. For the nfqueue mechanism, the rules that send the port's packets to the
/// agent's queue (<see cref="AddQueueAsync"/>). Removal and the sweep find rules by their comment, so they need only the tag.
/// </summary>
internal static class AgentRules
{
    public const string CommentPrefix = "killswitch:";

    /// <summary>Every chain the agent adds rules to: what removal and the sweep look through.</summary>
    private static readonly (string Table, string Chain)[] Chains = [("nat", "PREROUTING"), ("filter", "INPUT"), ("filter", "OUTPUT"), ("mangle", "INPUT"), ("mangle", "OUTPUT")];

    /// <summary>
    /// <c>-t mangle -A OUTPUT -p tcp --sport PORT ! -o lo [-d FROM]</c> (downstream: the port's responses) and/or
    /// <c>-t mangle -A INPUT -p tcp --dport PORT ! -i lo [-s FROM]</c> (upstream: its requests), each <c>! --tcp-flags SYN
    /// SYN -j NFQUEUE --queue-num QUEUE --queue-bypass</c>: the handshake is not delayed, and without a reader on the
    /// queue (the agent gone) packets pass. Loopback is left alone, like netem on eth0 and the proxy's REDIRECT.
    /// </summary>
    public static async Task AddQueueAsync(string tag, int port, IReadOnlyList<string> from, int queue, TrafficDirection direction, CancellationToken cancellationToken)
    {
        string[] target = ["!", "--tcp-flags", "SYN", "SYN", "-j", "NFQUEUE", "--queue-num", Str(queue), "--queue-bypass"];
        foreach (var source in Sources(from))
        {
            if (direction is TrafficDirection.Downstream or TrafficDirection.Both)
            {
                await AddRuleAsync(tag, "mangle", Outbound(port, source), first: false, target, cancellationToken);
            }

            if (direction is TrafficDirection.Upstream or TrafficDirection.Both)
            {
                await AddRuleAsync(tag, "mangle", Inbound(port, source), first: false, target, cancellationToken);
            }
        }
    }

    public static async Task AddAsync(string tag, int port, IReadOnlyList<string> from, int proxyPort, bool resetExisting, CancellationToken cancellationToken)
    {
        // One rule per source (or one for all): a REDIRECT rule only sees new connections; established ones keep flowing.
        foreach (var source in Sources(from))
        {
            await AddRuleAsync(tag, "nat", Peer(["PREROUTING", "--dport", Str(port)], "-s", source), first: false, ["-j", "REDIRECT", "--to-ports", Str(proxyPort)], cancellationToken);
            if (resetExisting)
            {
                // Connections opened before the fault are not redirected (conntrack keeps their NAT decision). Their
                // packets still reach PORT itself (redirected ones arrive at the proxy's port), so a TCP reset on their
                // next packet sends clients to reconnect, through the proxy. Loopback is the proxy's own way to the app.
                await AddRuleAsync(tag, "filter", Inbound(port, source), first: false, ["-j", "REJECT", "--reject-with", "tcp-reset"], cancellationToken);
            }
        }
    }

    /// <summary>
    /// <c>-t filter -I INPUT 1 -p tcp --dport PORT ! -i lo --syn -j REJECT --reject-with tcp-reset</c>:
    /// new connections to the port are refused at once (a client resolving several addresses tries the next one), while
    /// established connections keep flowing. Inserted first, so no other rule of the chain decides a SYN before it.
    /// </summary>
    /// <remarks>
    /// With <paramref name="to"/> (run in a caller's namespace), <c>-t filter -I OUTPUT 1 -p tcp -d TO --dport PORT --syn
    /// -j REJECT --reject-with tcp-reset</c> per address instead: the caller's own connects to those addresses are refused
    /// locally, which still holds after the drained replica's namespace (and the INPUT rule in it) is gone while a DNS
    /// answer still lists its address.
    /// </remarks>
    public static async Task AddDrainAsync(string tag, int port, IReadOnlyList<string> to, CancellationToken cancellationToken)
    {
        string[] target = ["--syn", "-j", "REJECT", "--reject-with", "tcp-reset"];
        if (to.Count == 0)
        {
            await AddRuleAsync(tag, "filter", Inbound(port, source: null), first: true, target, cancellationToken);
        }

        foreach (var peer in to)
        {
            await AddRuleAsync(tag, "filter", ["OUTPUT", "-d", peer, "--dport", Str(port)], first: true, target, cancellationToken);
        }
    }

    /// <summary>
    /// <c>-t filter -I INPUT 1 -p tcp --dport PORT ! -i lo [-s FROM] -j DROP</c> and <c>-t filter -I OUTPUT 1 -p tcp --sport
    /// PORT ! -o lo [-d FROM] -j DROP</c>: the port's packets are dropped both ways, on every connection (those opened
    /// before the fault too) and for new ones (their SYN is dropped, so they hang as on a partitioned network). TCP keeps
    /// retransmitting, so after the rules go, data sent meanwhile arrives late instead of being lost.
    /// </summary>
    public static async Task AddDropAsync(string tag, int port, IReadOnlyList<string> from, CancellationToken cancellationToken)
    {
        foreach (var source in Sources(from))
        {
            await AddRuleAsync(tag, "filter", Inbound(port, source), first: true, ["-j", "DROP"], cancellationToken);
            await AddRuleAsync(tag, "filter", Outbound(port, source), first: true, ["-j", "DROP"], cancellationToken);
        }
    }

    /// <summary>
    /// The packet and byte counters of the filter rules tagged <paramref name="tag"/>, per chain (one listing of the
    /// table, so that the chains' figures are read at the same moment).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, (long Packets, long Bytes)>> CountersAsync(string tag, CancellationToken cancellationToken)
    {
        var (code, listing) = await Shell.RunAsync("iptables", ["-w", "5", "-t", "filter", "-v", "-S"], cancellationToken);
        if (code != 0)
        {
            throw new AgentException($"'iptables -t filter -v -S' failed (exit {code}): {listing}");
        }

        var result = new Dictionary<string, (long Packets, long Bytes)>(StringComparer.Ordinal);
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "-A INPUT ... --comment "killswitch:TAG" -c PACKETS BYTES -j DROP"
            var parts = Split(line);
            var counters = parts.IndexOf("-c");
            if (parts is ["-A", var chain, ..] && CommentOf(line) == CommentPrefix + tag && counters >= 0 && counters + 2 < parts.Count)
            {
                var (packets, bytes) = result.GetValueOrDefault(chain);
                result[chain] = (packets + long.Parse(parts[counters + 1], CultureInfo.InvariantCulture), bytes + long.Parse(parts[counters + 2], CultureInfo.InvariantCulture));
            }
        }

        return result;
    }

    /// <summary>Deletes the rules tagged <paramref name="tag"/> (every agent's when null). Returns how many.</summary>
    public static async Task<int> RemoveAsync(string? tag, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (table, chain) in Chains)
        {
            removed += await RemoveAsync(table, chain, tag, cancellationToken);
        }

        return removed;
    }

    private static async Task<int> RemoveAsync(string table, string chain, string? tag, CancellationToken cancellationToken)
    {
        var (code, listing) = await Shell.RunAsync("iptables", ["-w", "5", "-t", table, "-S", chain], cancellationToken);
        if (code != 0)
        {
            throw new AgentException($"'iptables -t {table} -S {chain}' failed (exit {code}): {listing}");
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
            await Shell.RunCheckedAsync("iptables", ["-w", "5", "-t", table, .. spec], cancellationToken);
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

    /// <summary>
    /// <c>iptables -t TABLE (-A CHAIN | -I CHAIN 1) -p tcp MATCHES -m comment --comment killswitch:TAG TARGET</c>, where
    /// <paramref name="chainAndMatches"/> starts with the chain.
    /// </summary>
    private static Task<string> AddRuleAsync(string tag, string table, List<string> chainAndMatches, bool first, IEnumerable<string> target, CancellationToken cancellationToken)
    {
        List<string> rule = ["-w", "5", "-t", table];
        rule.AddRange(first ? ["-I", chainAndMatches[0], "1"] : ["-A", chainAndMatches[0]]);
        rule.AddRange(["-p", "tcp", .. chainAndMatches.Skip(1), "-m", "comment", "--comment", CommentPrefix + tag, .. target]);
        return Shell.RunCheckedAsync("iptables", rule, cancellationToken);
    }

    /// <summary>The port's inbound packets from outside the namespace: <c>INPUT --dport PORT ! -i lo [-s SOURCE]</c>.</summary>
    private static List<string> Inbound(int port, string? source) => Peer(["INPUT", "--dport", Str(port), "!", "-i", "lo"], "-s", source);

    /// <summary>The port's outbound packets (its answers), not on loopback: <c>OUTPUT --sport PORT ! -o lo [-d PEER]</c>.</summary>
    private static List<string> Outbound(int port, string? peer) => Peer(["OUTPUT", "--sport", Str(port), "!", "-o", "lo"], "-d", peer);

    private static List<string> Peer(List<string> matches, string option, string? address)
    {
        if (address is not null)
        {
            matches.AddRange([option, address]);
        }

        return matches;
    }

    /// <summary>One rule per source address, or one for all (null) when none is given.</summary>
    private static string?[] Sources(IReadOnlyList<string> from) => from.Count == 0 ? [null] : [.. from];

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
