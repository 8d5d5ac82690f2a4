using System.Buffers;
using System.Net.Sockets;

namespace Killswitch.Chaos.Local.Proxy;

/// <summary>
/// One proxied connection: two pumps (upstream: client → replica, downstream: replica → client) that apply the
/// backend's toxics chunk by chunk. An idle connection holds two 2 KiB buffers; busy ones rent larger pooled buffers while
/// they stay busy.
/// </summary>
internal sealed class ProxyConnection(Socket client, Socket server, ProxyBackend backend, TimeProvider time, int bufferSize) : IDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private int _closedFlag;

    public ProxyBackend Backend { get; } = backend;

    public async Task RunAsync()
    {
        try
        {
            var upstream = PumpAsync(client, server, TrafficDirection.Upstream);
            var downstream = PumpAsync(server, client, TrafficDirection.Downstream);
            await Task.WhenAll(upstream, downstream).ConfigureAwait(false);
        }
        finally
        {
            Close(reset: false);
        }
    }

    /// <summary>Aborts both sides; with <paramref name="reset"/> the client gets a TCP RST (SO_LINGER 0) instead of a FIN.</summary>
    public void Close(bool reset)
    {
        if (Interlocked.Exchange(ref _closedFlag, 1) == 1)
        {
            return;
        }

        Backend.Connections.TryRemove(this, out _);
        try
        {
            if (reset)
            {
                client.LingerState = new LingerOption(true, 0);
                server.LingerState = new LingerOption(true, 0);
            }
        }
        catch (SocketException)
        {
            // Already closed by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        client.Dispose();
        server.Dispose();
        _closed.Cancel();
        _closed.Dispose();
    }

    /// <summary>Closes both sides (FIN, not RST). Idempotent.</summary>
    public void Dispose() => Close(reset: false);

    /// <summary>Resets after <paramref name="after"/>, unless the connection closes first.</summary>
    public void ScheduleReset(ResetPeerToxic toxic, TimeSpan after) => _ = ScheduleAsync(after, () =>
    {
        if (Backend.Toxics.Contains(toxic))
        {
            toxic.Reset();
            Close(reset: true);
        }
    });

    /// <summary>Closes after <paramref name="after"/> if the blackhole is still in force.</summary>
    public void ScheduleBlackholeClose(BlackholeToxic toxic, TimeSpan after) => _ = ScheduleAsync(after, () =>
    {
        if (Backend.Toxics.Contains(toxic))
        {
            Close(reset: false);
        }
    });

    private async Task ScheduleAsync(TimeSpan after, Action action)
    {
        CancellationToken token;
        try
        {
            token = _closed.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            if (after > TimeSpan.Zero)
            {
                await Task.Delay(after, time, token).ConfigureAwait(false);
            }

            action();
        }
        catch (OperationCanceledException)
        {
            // Closed first.
        }
    }

    private async Task PumpAsync(Socket from, Socket to, TrafficDirection direction)
    {
        // Each direction owns a small buffer that a pending receive waits on: a request or response of a few KiB takes
        // one system call, and 1,000 idle connections hold 4 MiB. A read that fills the buffer means more is waiting
        // (bulk transfer): the next reads go into a pooled buffer that doubles up to ProxyConstants.MaxBufferSize
        // (fewer system calls per byte) and goes back to the pool on the first partial read.
        var small = new byte[ProxyConstants.IdleBufferSize];
        byte[]? large = null;
        var pacer = new Pacer();
        try
        {
            while (true)
            {
                var buffer = large ?? small;
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await ForwardAsync(to, buffer.AsMemory(0, read), direction, pacer).ConfigureAwait(false);
                if (read == buffer.Length && buffer.Length < ProxyConstants.MaxBufferSize)
                {
                    var next = large is null ? bufferSize : Math.Min(large.Length * 2, ProxyConstants.MaxBufferSize);
                    ReturnLarge(ref large);
                    large = ArrayPool<byte>.Shared.Rent(next);
                }
                else if (read < buffer.Length)
                {
                    ReturnLarge(ref large);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The other side went away, or the connection was reset by a fault: close both sides.
            Close(reset: false);
        }
        finally
        {
            ReturnLarge(ref large);
        }
    }

    private static void ReturnLarge(ref byte[]? large)
    {
        if (large is not null)
        {
            ArrayPool<byte>.Shared.Return(large);
            large = null;
        }
    }

    private async ValueTask ForwardAsync(Socket to, ReadOnlyMemory<byte> data, TrafficDirection direction, Pacer pacer)
    {
        var toxics = Backend.Toxics;
        BandwidthToxic? bandwidth = null;
        foreach (var toxic in toxics)
        {
            switch (toxic)
            {
                case BlackholeToxic blackhole:
                    blackhole.Swallow(data.Length);
                    return;
                case LatencyToxic latency when latency.AppliesTo(direction):
                    await latency.DelayAsync(_closed.Token).ConfigureAwait(false);
                    break;
                case BandwidthToxic limit when limit.AppliesTo(direction):
                    bandwidth = limit;
                    break;
            }
        }

        if (bandwidth is null)
        {
            await SendAllAsync(to, data).ConfigureAwait(false);
            return;
        }

        while (!data.IsEmpty)
        {
            var slice = data[..Math.Min(data.Length, bandwidth.SliceSize)];
            var wait = pacer.Reserve(slice.Length, bandwidth.BytesPerSecond, bandwidth.Time);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, bandwidth.Time, _closed.Token).ConfigureAwait(false);
            }

            await SendAllAsync(to, slice).ConfigureAwait(false);
            bandwidth.Throttled(slice.Length);
            data = data[slice.Length..];
        }
    }

    private static async ValueTask SendAllAsync(Socket to, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await to.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }
}
