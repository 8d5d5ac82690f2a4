using System.Buffers;
using System.Net.Sockets;

namespace Killswitch.Chaos.Local.Proxy;

/// <summary>
/// One proxied connection: two pumps (upstream: client → replica, downstream: replica → client) that apply the
/// backend's toxics chunk by chunk. Idle connections hold no buffer: a zero-byte receive waits for data before a pooled
/// buffer is rented (as Kestrel does), which keeps 1,000 open connections cheap.
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
        byte[]? buffer = null;
        var pacer = new Pacer();
        try
        {
            var hot = false;
            while (true)
            {
                if (!hot)
                {
                    // Wait for data without holding a buffer.
                    await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(bufferSize);
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await ForwardAsync(to, buffer.AsMemory(0, read), direction, pacer).ConfigureAwait(false);

                // A full buffer means more is likely waiting (bulk transfer): keep the buffer and read again at once.
                hot = read == buffer.Length;
                if (!hot)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
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
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
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
