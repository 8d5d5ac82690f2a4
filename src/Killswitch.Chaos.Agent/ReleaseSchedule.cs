using System.Buffers.Binary;

namespace Killswitch.Chaos.Agent;

/// <summary>
/// When each queued packet may go: its arrival plus the latency ± a uniform jitter, but never before the previous
/// packet of the same flow (so jitter never reorders a connection's packets, which TCP would answer with duplicate
/// ACKs and retransmissions the fault did not ask for). A flow is the remote endpoint and the direction: the port is
/// fixed by the rules. Not thread-safe: the agent's reader thread is its only caller.
/// </summary>
internal sealed class ReleaseSchedule(TimeSpan latency, TimeSpan jitter, Random random)
{
    /// <summary>Flows idle this long are forgotten (their next packet starts afresh).</summary>
    private static readonly long IdleTicks = TimeSpan.FromSeconds(30).Ticks;

    private readonly Dictionary<FlowKey, long> _last = [];
    private long _sequence;
    private long _flows;
    private long _nextPrune;

    /// <summary>How many flows were seen (a flow forgotten after 30 s idle counts again when it resumes).</summary>
    public long Flows => _flows;

    /// <summary>The release time (in <see cref="TimeSpan"/> ticks on the caller's clock) of a packet arriving at <paramref name="now"/>.</summary>
    public long Schedule(FlowKey flow, long now)
    {
        var delay = latency.Ticks;
        if (jitter > TimeSpan.Zero)
        {
            delay += (long)(((random.NextDouble() * 2) - 1) * jitter.Ticks);
        }

        var release = now + delay;
        if (_last.TryGetValue(flow, out var previous))
        {
            release = Math.Max(release, previous);
        }
        else
        {
            _flows++;
        }

        _last[flow] = release;
        if (now >= _nextPrune)
        {
            _nextPrune = now + IdleTicks;
            foreach (var (key, last) in _last)
            {
                if (last < now - IdleTicks)
                {
                    _last.Remove(key);
                }
            }
        }

        return release;
    }

    /// <summary>A tie-breaker so packets released at the same tick leave in arrival order.</summary>
    public long NextSequence() => ++_sequence;
}

/// <summary>A TCP flow as seen from the target: the remote address and port, and whether the packet comes in or goes out.</summary>
internal readonly record struct FlowKey(UInt128 Address, ushort Port, bool Outbound)
{
    /// <summary>Reads the remote endpoint from a copied IPv4 or IPv6 packet's headers; null when they are cut short.</summary>
    public static FlowKey? Of(ReadOnlySpan<byte> packet, bool outbound)
    {
        if (packet.Length < 1)
        {
            return null;
        }

        int transport;
        UInt128 address;
        switch (packet[0] >> 4)
        {
            case 4 when packet.Length >= 20:
                transport = (packet[0] & 0x0f) * 4;
                address = BinaryPrimitives.ReadUInt32BigEndian(packet[(outbound ? 16 : 12)..]);
                break;
            case 6 when packet.Length >= 40:
                transport = 40; // TCP right after the fixed header: the rules match -p tcp, extension headers are rare
                address = BinaryPrimitives.ReadUInt128BigEndian(packet[(outbound ? 24 : 8)..]);
                break;
            default:
                return null;
        }

        if (packet.Length < transport + 4)
        {
            return null;
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(packet[(transport + (outbound ? 2 : 0))..]);
        return new FlowKey(address, port, outbound);
    }
}
