using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Killswitch.Chaos.Agent;

/// <summary>
/// Latency without netem and without a proxy, for every connection of the port — those opened before the fault too:
/// iptables sends the port's TCP packets (responses for <c>downstream</c>: mangle OUTPUT <c>--sport PORT</c>; requests
/// for <c>upstream</c>: mangle INPUT <c>--dport PORT</c>; both for <c>both</c>) to an NFQUEUE queue this agent reads, and
/// the agent gives each packet its ACCEPT verdict once it has been held for the latency ± jitter (per flow in order:
/// <see cref="ReleaseSchedule"/>).
/// <para>
/// Handshake packets (SYN, SYN-ACK) are not queued: the rules carry <c>! --tcp-flags SYN SYN</c>. A request on a new
/// connection then costs one latency, as on a kept-alive one and as with the proxy (Toxiproxy likewise delays data,
/// not the connect); netem would add it to the handshake too, so a first request would see twice the latency.
/// </para>
/// <para>
/// Safety: the rules carry <c>--queue-bypass</c> (no reader bound: packets pass) and the queue fails open (full:
/// packets pass), so an agent that dies — even SIGKILLed — never blackholes the port; only the packets it held at that
/// moment are lost (TCP retransmits them). Its rules stay until <c>sweep</c>, harmless in between. If reading the queue
/// fails, the agent releases what it holds and closes the socket, so the rules' bypass applies (the stats line carries
/// the <c>failure</c>). Revert: the rules go first, then every held packet is released at once, in order.
/// </para>
/// </summary>
internal sealed class NfqueueInjection : IInjection
{
    /// <summary>The kernel's queue limit: far above what a test's traffic keeps in flight for a few hundred ms.</summary>
    public const int QueueLength = 65536;

    private readonly NfqueueSocket _socket;
    private readonly ReleaseSchedule _schedule;
    private readonly string _tag;
    private readonly object _gate = new();
    private readonly PriorityQueue<Held, (long Release, long Sequence)> _held = new();
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly Thread _reader;
    private readonly Thread _releaser;
    private volatile bool _stopping;
    private volatile bool _readerDone;
    private volatile string? _failure;
    private long _hits;
    private long _minHeldTicks = long.MaxValue;
    private long _maxHeldTicks;
    private long _flowsSnapshot;
    private int _disposed;

    private NfqueueInjection(NfqueueSocket socket, ReleaseSchedule schedule, string tag)
    {
        _socket = socket;
        _schedule = schedule;
        _tag = tag;
        _reader = new Thread(Read) { IsBackground = true, Name = "nfqueue reader", Priority = ThreadPriority.AboveNormal };
        _releaser = new Thread(Release) { IsBackground = true, Name = "nfqueue releaser", Priority = ThreadPriority.AboveNormal };
    }

    public string Mechanism => "nfqueue";

    /// <summary>The queue number the rules send packets to.</summary>
    public int Queue => _socket.Queue;

    /// <summary>Binds a queue, starts holding what it receives, then adds the rules that feed it.</summary>
    public static async Task<NfqueueInjection> StartAsync(AgentCommand command, LatencyOptions latency, CancellationToken cancellationToken)
    {
        var random = command.Seed is { } seed ? new Random(seed) : new Random();
        var socket = NfqueueSocket.Open(FirstQueue(command.Tag), QueueLength);
        var injection = new NfqueueInjection(socket, new ReleaseSchedule(latency.Latency, latency.Jitter, random), command.Tag);
        injection._reader.Start();
        injection._releaser.Start();
        try
        {
            await AgentRules.AddQueueAsync(command.Tag, command.Port, command.From, socket.Queue, latency.Direction, cancellationToken);
            return injection;
        }
        catch
        {
            await injection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Whether nfqueue works in this namespace: binds a queue and adds then removes a rule for it (on the discard port
    /// 9, with <c>--queue-bypass</c>: it catches nothing that matters). Null when it works, else why not.
    /// </summary>
    public static async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        var tag = "probe-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            using var socket = NfqueueSocket.Open(FirstQueue(tag), 16);
            try
            {
                await AgentRules.AddQueueAsync(tag, 9, [], socket.Queue, TrafficDirection.Both, cancellationToken);
            }
            finally
            {
                await AgentRules.RemoveAsync(tag, CancellationToken.None);
            }

            return null;
        }
        catch (AgentException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Where the search for a free queue starts: a hash of the tag in 32768-65535, so agents rarely even probe.</summary>
    public static ushort FirstQueue(string tag)
    {
        var hash = 2166136261u;
        foreach (var c in tag)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (ushort)(32768 + (hash % 32768));
    }

    public ValueTask<JsonObject> StatsAsync(CancellationToken cancellationToken)
    {
        var hits = Interlocked.Read(ref _hits);
        var stats = new JsonObject
        {
            ["hits"] = hits,
            ["connections"] = Interlocked.Read(ref _flowsSnapshot),
            ["minHeldMs"] = hits == 0 ? null : Math.Round(TimeSpan.FromTicks(Interlocked.Read(ref _minHeldTicks)).TotalMilliseconds, 1),
            ["maxHeldMs"] = hits == 0 ? null : Math.Round(TimeSpan.FromTicks(Interlocked.Read(ref _maxHeldTicks)).TotalMilliseconds, 1),
            ["queue"] = _socket.Queue,
        };
        if (_socket.VerdictErrors > 0)
        {
            stats["verdictErrors"] = _socket.VerdictErrors;
        }

        if (_failure is { } failure)
        {
            stats["failure"] = failure;
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
            // No rule feeds the queue any more: read what the kernel still has, release everything held, in order.
            _stopping = true;
            _reader.Join();
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }

            _releaser.Join();
            _socket.Dispose();
        }
    }

    private long Now() => Stopwatch.GetElapsedTime(_origin).Ticks;

    private void Read()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            // After revert starts, keep reading until the socket is quiet: those packets were queued before the rules went.
            while (_socket.Receive(buffer, Hold) || !_stopping)
            {
            }
        }
#pragma warning disable CA1031 // A reader failure must not kill the agent: the queue fails open, revert still runs.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failure = ex.Message;
        }
        finally
        {
            _readerDone = true;
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        if (_failure is not null)
        {
            // Nobody reads the queue any more: release what is held, then close the socket so the kernel unbinds the
            // queue and --queue-bypass lets the port's packets through instead of queueing them for no one.
            _releaser.Join();
            _socket.Dispose();
        }
    }

    private void Hold(QueuedPacket packet)
    {
        var now = Now();
        var outbound = packet.Hook == QueuedPacket.LocalOut;
        var flow = FlowKey.Of(packet.Headers.Span, outbound) ?? new FlowKey(0, 0, outbound);
        var release = _schedule.Schedule(flow, now);
        Interlocked.Exchange(ref _flowsSnapshot, _schedule.Flows);
        lock (_gate)
        {
            _held.Enqueue(new Held(packet.Id, now), (release, _schedule.NextSequence()));
            Monitor.Pulse(_gate);
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            while (true)
            {
                if (_held.TryPeek(out var next, out var when))
                {
                    var now = Now();
                    if (when.Release > now && !_stopping && _failure is null)
                    {
                        Monitor.Wait(_gate, TimeSpan.FromTicks(when.Release - now));
                        continue;
                    }

                    _held.Dequeue();
                    _socket.Accept(next.Id);
                    Record(Now() - next.Arrived);
                }
                else if ((_stopping || _failure is not null) && _readerDone)
                {
                    return;
                }
                else
                {
                    Monitor.Wait(_gate, TimeSpan.FromMilliseconds(100));
                }
            }
        }
    }

    private void Record(long held)
    {
        if (_stopping || _failure is not null)
        {
            return; // released early by the revert or a failure: not evidence of the fault's delay
        }

        Interlocked.Increment(ref _hits);
        if (held < _minHeldTicks)
        {
            _minHeldTicks = held;
        }

        if (held > _maxHeldTicks)
        {
            _maxHeldTicks = held;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"nfqueue {_socket.Queue} ({_tag})");

    private readonly record struct Held(uint Id, long Arrived);
}
