using System.Diagnostics;

namespace Killswitch.Chaos.Local.Proxy;

/// <summary>
/// A fault as the proxy applies it. One toxic object is shared by every proxy and backend the fault acts on, so its
/// counters are the fault's evidence. Injection adds it to backends, revert removes it: a reference swap, no restart.
/// </summary>
internal abstract class Toxic(string faultId)
{
    private long _hits;

    public string FaultId { get; } = faultId;

    /// <summary>How many chunks or connections the toxic acted on: the proof that traffic crossed the affected path.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public virtual bool AppliesTo(TrafficDirection direction) => true;

    protected void Hit() => Interlocked.Increment(ref _hits);

    /// <summary>The toxic that implements a network fault (every target that applies faults through this proxy uses it).</summary>
    /// <exception cref="ArgumentException"><paramref name="fault"/> is not a network fault the proxy implements.</exception>
    public static Toxic Create(string faultId, FaultOptions fault, Random random, TimeProvider time) => fault switch
    {
        LatencyOptions l => new LatencyToxic(faultId, l.Latency, l.Jitter, l.Direction, random, time),
        ResetPeerOptions r => new ResetPeerToxic(faultId, r.ResetAfter),
        BlackholeOptions b => new BlackholeToxic(faultId, b.CloseAfter),
        BandwidthOptions w => new BandwidthToxic(faultId, w.BytesPerSecond, w.Direction, time),
        _ => throw new ArgumentException($"Fault kind '{fault.Kind}' is not a proxy toxic.", nameof(fault)),
    };

    protected static bool Matches(TrafficDirection configured, TrafficDirection direction) =>
        configured == TrafficDirection.Both || configured == direction;
}

internal sealed class LatencyToxic(string faultId, TimeSpan latency, TimeSpan jitter, TrafficDirection direction, Random random, TimeProvider time) : Toxic(faultId)
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);
    private long _minHeldTicks = long.MaxValue;

    public TimeSpan Latency { get; } = latency;

    public TimeSpan Jitter { get; } = jitter;

    /// <summary>The shortest time a chunk was actually held, measured around the wait.</summary>
    public TimeSpan? MinimumHeld => Hits == 0 ? null : TimeSpan.FromTicks(Interlocked.Read(ref _minHeldTicks));

    public override bool AppliesTo(TrafficDirection d) => Matches(direction, d);

    public async ValueTask DelayAsync(CancellationToken cancellationToken)
    {
        var delay = Latency;
        if (Jitter > TimeSpan.Zero)
        {
            double sample;
            lock (random)
            {
                sample = random.NextDouble();
            }

            delay += TimeSpan.FromTicks((long)(((sample * 2) - 1) * Jitter.Ticks));
        }

        var started = time.GetTimestamp();
        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);

        // Timers run on the coarse monotonic clock (4 ms jiffies on many Linux kernels) and can fire a few ms early:
        // top up until the full delay has passed, so a held chunk is never held less than asked.
        TimeSpan left;
        while ((left = delay - time.GetElapsedTime(started)) > TimeSpan.Zero)
        {
            await Task.Delay(left < OneMillisecond ? OneMillisecond : left, time, cancellationToken).ConfigureAwait(false);
        }

        var held = time.GetElapsedTime(started).Ticks;
        long current;
        do
        {
            current = Interlocked.Read(ref _minHeldTicks);
        }
        while (held < current && Interlocked.CompareExchange(ref _minHeldTicks, held, current) != current);

        Hit();
    }
}

internal sealed class ResetPeerToxic(string faultId, TimeSpan resetAfter) : Toxic(faultId)
{
    public TimeSpan ResetAfter { get; } = resetAfter;

    public void Reset() => Hit();
}

internal sealed class BlackholeToxic(string faultId, TimeSpan? closeAfter) : Toxic(faultId)
{
    private long _bytes;

    public TimeSpan? CloseAfter { get; } = closeAfter;

    public long BytesSwallowed => Interlocked.Read(ref _bytes);

    public void Swallow(int count)
    {
        Interlocked.Add(ref _bytes, count);
        Hit();
    }
}

internal sealed class BandwidthToxic(string faultId, long bytesPerSecond, TrafficDirection direction, TimeProvider time) : Toxic(faultId)
{
    private long _bytes;

    public long BytesPerSecond { get; } = bytesPerSecond;

    public long BytesThrottled => Interlocked.Read(ref _bytes);

    public TimeProvider Time { get; } = time;

    public override bool AppliesTo(TrafficDirection d) => Matches(direction, d);

    /// <summary>The largest slice written at once: 50 ms worth of bytes, so pacing is smooth even for big chunks.</summary>
    public int SliceSize => (int)Math.Clamp(BytesPerSecond / 20, 1, 64 * 1024);

    public void Throttled(int count)
    {
        Interlocked.Add(ref _bytes, count);
        Hit();
    }
}

/// <summary>Per connection and direction: when the next byte may go, for <see cref="BandwidthToxic"/> pacing.</summary>
internal sealed class Pacer
{
    private long _nextFree;

    public TimeSpan Reserve(int bytes, long bytesPerSecond, TimeProvider time)
    {
        var now = time.GetTimestamp();
        var start = Math.Max(now, _nextFree);
        _nextFree = start + (long)(bytes * (double)time.TimestampFrequency / bytesPerSecond);
        Debug.Assert(_nextFree >= start, "Pacing moves forward.");
        return TimeSpan.FromSeconds((start - now) / (double)time.TimestampFrequency);
    }
}
