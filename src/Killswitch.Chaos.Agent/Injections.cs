using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Killswitch.Chaos.Agent;

/// <summary>A fault in force inside this namespace.</summary>
internal interface IInjection : IAsyncDisposable
{
    /// <summary><c>proxy</c> or <c>netem</c>: reported in the ready line, and by the targets in their proof.</summary>
    string Mechanism { get; }

    /// <summary>The evidence so far (what the fault acted on).</summary>
    ValueTask<JsonObject> StatsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The netem-free mechanism: the chaos core's <see cref="TcpProxy"/> listens on every address of the namespace,
/// forwards to the app on loopback through the fault's toxic, and iptables REDIRECT feeds it the port's inbound
/// connections. Revert: the rules go first (new connections reach the app directly), then the toxic, then the proxy.
/// </summary>
internal sealed class ProxyInjection : IInjection
{
    private readonly TcpProxy _proxy;
    private readonly Toxic _toxic;
    private readonly string _tag;
    private int _disposed;

    private ProxyInjection(TcpProxy proxy, Toxic toxic, string tag)
    {
        _proxy = proxy;
        _toxic = toxic;
        _tag = tag;
    }

    public string Mechanism => "proxy";

    public int ProxyPort => _proxy.Port;

    public static async Task<ProxyInjection> StartAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        var random = command.Seed is { } seed ? new Random(seed) : new Random();
        var toxic = Toxic.Create(command.Tag, command.Fault!, random, TimeProvider.System);
        var proxy = new TcpProxy("agent:" + command.Tag, TimeProvider.System, NullLogger.Instance, bindAddress: IPAddress.Any, port: command.ListenPort);
        var injection = new ProxyInjection(proxy, toxic, command.Tag);
        try
        {
            var backend = proxy.AddBackend(command.Tag, command.Backend ?? new IPEndPoint(IPAddress.Loopback, command.Port));
            backend.Add(toxic);
            await AgentRules.AddAsync(command.Tag, command.Port, command.From, proxy.Port, command.ResetExisting, cancellationToken);
            return injection;
        }
        catch
        {
            await injection.DisposeAsync();
            throw;
        }
    }

    public ValueTask<JsonObject> StatsAsync(CancellationToken cancellationToken)
    {
        var stats = new JsonObject
        {
            ["hits"] = _toxic.Hits,
            ["connections"] = _proxy.ConnectionsAccepted,
        };
        switch (_toxic)
        {
            case LatencyToxic latency:
                stats["minHeldMs"] = latency.MinimumHeld is { } held ? Math.Round(held.TotalMilliseconds, 1) : null;
                break;
            case BlackholeToxic blackhole:
                stats["bytesSwallowed"] = blackhole.BytesSwallowed;
                break;
            case BandwidthToxic bandwidth:
                stats["bytesThrottled"] = bandwidth.BytesThrottled;
                break;
        }

        return ValueTask.FromResult(stats);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await AgentRules.RemoveAsync(_tag, CancellationToken.None);
        }
        finally
        {
            foreach (var backend in _proxy.Backends)
            {
                backend.Remove(_toxic);
            }

            await _proxy.DisposeAsync();
        }
    }
}

/// <summary>
/// Latency with netem where the kernel has it: <c>tc qdisc add dev IF root netem delay L J</c> delays everything the
/// namespace sends (so the responses of every connection into it). Evidence: the qdisc's sent-packet counter.
/// </summary>
internal sealed class NetemInjection : IInjection
{
    private readonly string _interface;
    private int _disposed;

    private NetemInjection(string @interface) => _interface = @interface;

    public string Mechanism => "netem";

    /// <summary>Adds the qdisc; on a kernel without netem, returns the reason instead.</summary>
    public static async Task<(NetemInjection? Injection, string? Unavailable)> TryStartAsync(string @interface, LatencyOptions latency, CancellationToken cancellationToken)
    {
        var (code, output) = await Shell.RunAsync(
            "tc",
            ["qdisc", "add", "dev", @interface, "root", "netem", "delay", Ms(latency.Latency), Ms(latency.Jitter)],
            cancellationToken);
        return code == 0 ? (new NetemInjection(@interface), null) : (null, $"tc qdisc add dev {@interface} root netem failed (exit {code}): {output}");
    }

    public async ValueTask<JsonObject> StatsAsync(CancellationToken cancellationToken)
    {
        var (_, output) = await Shell.RunAsync("tc", ["-s", "qdisc", "show", "dev", _interface, "root"], cancellationToken);
        // "... Sent 1234 bytes 12 pkt (dropped 0, overlimits 0 requeues 0)"
        var words = output.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var sent = Array.IndexOf(words, "Sent");
        long packets = sent >= 0 && sent + 3 < words.Length && long.TryParse(words[sent + 3], CultureInfo.InvariantCulture, out var p) ? p : 0;
        return new JsonObject { ["hits"] = packets };
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await RemoveAsync(_interface, CancellationToken.None);
    }

    /// <summary>Removes a root netem qdisc from <paramref name="interface"/>; any other root qdisc is left alone.</summary>
    public static async Task<bool> RemoveAsync(string @interface, CancellationToken cancellationToken)
    {
        var (code, output) = await Shell.RunAsync("tc", ["qdisc", "show", "dev", @interface, "root"], cancellationToken);
        if (code != 0 || !output.Contains("netem", StringComparison.Ordinal))
        {
            return false;
        }

        await Shell.RunCheckedAsync("tc", ["qdisc", "del", "dev", @interface, "root"], cancellationToken);
        return true;
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
