using System.Globalization;
using System.Net;

namespace Killswitch.Chaos.Agent;

/// <summary>How the agent applies a fault.</summary>
internal enum Mechanism
{
    /// <summary>Latency: netem when the kernel has it and the fault fits it, else nfqueue where it works, else the proxy. Other faults: the proxy.</summary>
    Auto,

    /// <summary>iptables REDIRECT into the chaos core's TCP proxy with the fault's toxic.</summary>
    Proxy,

    /// <summary><c>tc qdisc ... netem</c> on the interface (latency only).</summary>
    Netem,

    /// <summary>iptables NFQUEUE and the agent's packet delayer (latency only; reaches connections opened before the fault).</summary>
    Nfqueue,

    /// <summary>iptables DROP of the port's packets both ways (blackhole only; reaches connections opened before the fault).</summary>
    Drop,
}

/// <summary>
/// The parsed command line. Verbs: <c>inject</c> (apply one fault until SIGTERM/SIGINT), <c>drain</c> (refuse new
/// connections to a port before a graceful stop, and exit), <c>sweep</c> (remove what
/// agents left in this namespace), <c>probe</c> (say which mechanisms this namespace supports). Every problem is
/// reported at once, with the option that fixes it.
/// </summary>
internal sealed class AgentCommand
{
    public const string Usage = """
        Usage:
          killswitch-agent inject --tag ID --port PORT --fault latency|blackhole|bandwidth|reset-peer [options]
          killswitch-agent drain --tag ID --port PORT [--to IP[,IP...]]
          killswitch-agent sweep [--tag ID]
          killswitch-agent probe [--interface eth0]

        drain: refuse new connections to PORT (TCP reset on their SYN; loopback untouched), keep established ones, and
          exit; the rule lasts until the namespace goes (the container stops) or a sweep removes it.
          --to IP[,IP...]         run in a caller's namespace instead: refuse its new connections to PORT on these
                                  addresses (outbound), so they fail fast even after the drained replica's network is
                                  gone; remove with 'sweep --tag ID' once the addresses may serve again

        inject options:
          --latency-ms N          latency: added delay (required for latency)
          --jitter-ms N           latency: +/- uniform variation (default 0)
          --direction D           latency, bandwidth: downstream (responses, default) | upstream | both
          --bytes-per-second N    bandwidth: the limit (required for bandwidth)
          --close-after-ms N      blackhole: close swallowed connections after N ms (default: hold open)
          --reset-after-ms N      reset-peer: reset new connections after N ms (default 0)
          --from IP[,IP...]       only connections from these source addresses (one dependency edge)
          --existing E            proxy: keep (default: connections opened before the fault stay unaffected) | reset
                                  (they get a TCP reset on their next packet, so clients reconnect through the fault)
          --mechanism M           auto (default; latency: netem where the kernel has it, else nfqueue where it works,
                                  else proxy; blackhole: drop, or proxy with --close-after-ms; other faults: proxy)
                                  | proxy | netem | nfqueue | drop
          --listen-port N         the proxy's port (default: a free one)
          --backend IP:PORT       where the proxy forwards (default 127.0.0.1:PORT; the app must listen on it)
          --interface NAME        netem's interface (default eth0)
          --seed N                jitter's random seed (default: random)
          --stats-interval-ms N   how often a changed stats line is printed (default 200)
          --owner-pid N           revert and exit when this process is gone (nsenter use; default: none)

        Output: one JSON object per line on stdout: {"event":"ready",...}, {"event":"stats",...}, {"event":"reverted",...},
        {"event":"error","message":...}. Exit codes: 0 reverted cleanly, 2 bad command line, 3 could not inject.
        """;

    public string Verb { get; private init; } = string.Empty;

    public string Tag { get; private set; } = string.Empty;

    public int Port { get; private set; }

    public FaultOptions? Fault { get; private set; }

    public IReadOnlyList<string> From { get; private set; } = [];

    /// <summary>drain: the addresses this (caller) namespace must stop connecting to; empty drains this namespace's own port.</summary>
    public IReadOnlyList<string> To { get; private set; } = [];

    public Mechanism Mechanism { get; private set; } = Mechanism.Auto;

    /// <summary>Whether connections opened before the fault are reset (proxy mechanism).</summary>
    public bool ResetExisting { get; private set; }

    public int ListenPort { get; private set; }

    public IPEndPoint? Backend { get; private set; }

    public string Interface { get; private set; } = "eth0";

    public int? Seed { get; private set; }

    public TimeSpan StatsInterval { get; private set; } = TimeSpan.FromMilliseconds(200);

    public int? OwnerPid { get; private set; }

    public static AgentCommand Parse(IReadOnlyList<string> args, out List<string> errors)
    {
        errors = [];
        if (args.Count == 0 || args[0] is not ("inject" or "drain" or "sweep" or "probe"))
        {
            errors.Add(args.Count == 0 ? "No verb given." : $"Unknown verb '{args[0]}'.");
            return new AgentCommand();
        }

        var command = new AgentCommand { Verb = args[0] };
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                errors.Add($"'{args[i]}' is not an option followed by a value.");
                continue;
            }

            values[args[i]] = args[++i];
        }

        var e = errors;
        string? Take(string name)
        {
            if (values.Remove(name, out var value))
            {
                return value;
            }

            return null;
        }

        int? Int(string name, int min)
        {
            var text = Take(name);
            if (text is null)
            {
                return null;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
            {
                e.Add($"{name} must be an integer >= {min} (was '{text}').");
                return null;
            }

            return value;
        }

        TimeSpan? Millis(string name, int min) => Int(name, min) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

        TrafficDirection Direction()
        {
            var text = Take("--direction") ?? "downstream";
            if (Enum.TryParse<TrafficDirection>(text, ignoreCase: true, out var direction) && Enum.IsDefined(direction))
            {
                return direction;
            }

            e.Add($"--direction must be downstream, upstream or both (was '{text}').");
            return TrafficDirection.Downstream;
        }

        command.Tag = Take("--tag") ?? string.Empty;
        command.Interface = Take("--interface") ?? command.Interface;
        if (command.Tag.Length > 0 && !command.Tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add($"--tag may hold letters, digits, '-', '_' and '.' only (was '{command.Tag}').");
        }

        if (command.Verb is "inject" or "drain")
        {
            if (command.Tag.Length == 0)
            {
                errors.Add("--tag is required: it names the iptables rules so a later sweep can find them.");
            }

            var portGiven = values.ContainsKey("--port");
            command.Port = Int("--port", 1) ?? 0;
            if (!portGiven || command.Port > 65535)
            {
                errors.Add(command.Verb == "drain"
                    ? "--port is required: the target's TCP port (1-65535) that should refuse new connections."
                    : "--port is required: the target's TCP port (1-65535) whose inbound connections get the fault.");
            }
        }

        if (command.Verb == "drain" && Take("--to") is { } to)
        {
            command.To = Addresses("--to", to);
            if (command.To.Count == 0)
            {
                errors.Add("--to needs at least one IP address (comma-separated).");
            }
        }

        if (command.Verb == "inject")
        {
            var fault = Take("--fault");
            command.Fault = fault switch
            {
                "latency" => new LatencyOptions
                {
                    Latency = Millis("--latency-ms", 1) ?? Missing("--latency-ms", "latency"),
                    Jitter = Millis("--jitter-ms", 0) ?? TimeSpan.Zero,
                    Direction = Direction(),
                },
                "blackhole" => new BlackholeOptions { CloseAfter = Millis("--close-after-ms", 1) },
                "bandwidth" => new BandwidthOptions
                {
                    BytesPerSecond = Int("--bytes-per-second", 1) ?? MissingLong("--bytes-per-second", "bandwidth"),
                    Direction = Direction(),
                },
                "reset-peer" => new ResetPeerOptions { ResetAfter = Millis("--reset-after-ms", 0) ?? TimeSpan.Zero },
                null => null,
                _ => null,
            };
            if (command.Fault is null)
            {
                errors.Add(fault is null ? "--fault is required: latency, blackhole, bandwidth or reset-peer." : $"--fault '{fault}' is unknown: use latency, blackhole, bandwidth or reset-peer.");
            }
            else if (command.Fault is LatencyOptions { Jitter: var jitter, Latency: var latency } && jitter > latency)
            {
                errors.Add("--jitter-ms must not exceed --latency-ms.");
            }

            if (Take("--from") is { } from)
            {
                command.From = Addresses("--from", from);
            }

            var existing = Take("--existing") ?? "keep";
            if (existing is "reset" or "keep")
            {
                command.ResetExisting = existing == "reset";
            }
            else
            {
                errors.Add($"--existing must be reset or keep (was '{existing}').");
            }

            var mechanism = Take("--mechanism") ?? "auto";
            if (Enum.TryParse<Mechanism>(mechanism, ignoreCase: true, out var m) && Enum.IsDefined(m))
            {
                command.Mechanism = m;
                if (m is Mechanism.Netem or Mechanism.Nfqueue && command.Fault is not null and not LatencyOptions)
                {
                    errors.Add($"--mechanism {(m == Mechanism.Netem ? "netem" : "nfqueue")} applies to --fault latency only; use proxy (or auto) for the others.");
                }

                if (m == Mechanism.Drop && command.Fault is not null and not BlackholeOptions)
                {
                    errors.Add("--mechanism drop applies to --fault blackhole only; use proxy (or auto) for the others.");
                }

                if (m == Mechanism.Drop && command.Fault is BlackholeOptions { CloseAfter: not null })
                {
                    errors.Add("--mechanism drop cannot close connections after --close-after-ms (it drops packets, the connections stay); use proxy (or auto).");
                }

                if (m == Mechanism.Netem && command.From.Count > 0)
                {
                    errors.Add("--mechanism netem cannot limit the fault to --from addresses; use proxy (or auto).");
                }
            }
            else
            {
                errors.Add($"--mechanism must be auto, proxy, netem, nfqueue or drop (was '{mechanism}').");
            }

            command.ListenPort = Int("--listen-port", 0) ?? 0;
            if (Take("--backend") is { } backend)
            {
                if (IPEndPoint.TryParse(backend, out var endpoint) && endpoint.Port != 0)
                {
                    command.Backend = endpoint;
                }
                else
                {
                    errors.Add($"--backend must be IP:PORT (was '{backend}').");
                }
            }

            command.Seed = Int("--seed", 0);
            command.StatsInterval = Millis("--stats-interval-ms", 10) ?? command.StatsInterval;
            command.OwnerPid = Int("--owner-pid", 1);
        }

        foreach (var unknown in values.Keys)
        {
            errors.Add($"Option {unknown} is unknown for '{command.Verb}'.");
        }

        return command;

        string[] Addresses(string option, string text)
        {
            var addresses = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var address in addresses.Where(a => !IPAddress.TryParse(a, out _)))
            {
                e.Add($"{option}: '{address}' is not an IP address.");
            }

            return addresses;
        }

        TimeSpan Missing(string option, string kind)
        {
            e.Add($"{option} is required for --fault {kind}.");
            return TimeSpan.FromMilliseconds(1);
        }

        long MissingLong(string option, string kind)
        {
            e.Add($"{option} is required for --fault {kind}.");
            return 1;
        }
    }
}
