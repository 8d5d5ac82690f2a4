using System.Net;
using System.Net.Sockets;
using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Killswitch.Chaos.Tests.Local.Proxy;

/// <summary>The toxics on real loopback sockets, against an in-process echo server. No timing assertions: counters.</summary>
#pragma warning disable CA1001 // Disposed in IAsyncLifetime.DisposeAsync, which xUnit calls.
public sealed class TcpProxyTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly Socket _echo = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private TcpProxy _sut = null!;
    private ProxyBackend _backend = null!;

    public Task InitializeAsync()
    {
        _echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _echo.Listen();
        _ = EchoAsync();
        _sut = new TcpProxy("echo", TimeProvider.System, NullLogger.Instance);
        _backend = _sut.AddBackend("echo-1", (IPEndPoint)_echo.LocalEndPoint!);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sut.DisposeAsync();
        _echo.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task NoToxic_EchoesThrough()
    {
        using var client = await ConnectAsync();

        Assert.Equal("hello", await RoundTripAsync(client, "hello"));
    }

    [Fact]
    public async Task ResetPeer_OpenConnection_ClientSeesReset()
    {
        using var client = await ConnectAsync();
        await RoundTripAsync(client, "before");
        var toxic = new ResetPeerToxic("reset-1", TimeSpan.Zero);

        _backend.Add(toxic);
        foreach (var connection in _backend.Connections.Keys)
        {
            TcpProxy.Arm(connection, toxic);
        }

        var buffer = new byte[16];
        var ex = await Record.ExceptionAsync(async () =>
        {
            var read = await client.ReceiveAsync(buffer, SocketFlags.None);
            Assert.Fail($"expected a reset, read {read} bytes");
        });
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(ex).SocketErrorCode);
        Assert.Equal(1, toxic.Hits);
    }

    [Fact]
    public async Task Blackhole_SwallowsBytes_RevertLetsNewConnectionsThrough()
    {
        var toxic = new BlackholeToxic("blackhole-1", closeAfter: null);
        _backend.Add(toxic);
        using (var client = await ConnectAsync())
        {
            await client.SendAsync("lost"u8.ToArray(), SocketFlags.None);
            var swallowed = await Killswitch.Chaos.Waits.UntilAsync(_ => ValueTask.FromResult(toxic.BytesSwallowed == 4), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
            Assert.True(swallowed, $"swallowed {toxic.BytesSwallowed} bytes");
        }

        _backend.Remove(toxic);
        using var after = await ConnectAsync();
        Assert.Equal("found", await RoundTripAsync(after, "found"));
    }

    [Fact]
    public async Task Bandwidth_PacesEveryByte()
    {
        var toxic = new BandwidthToxic("bandwidth-1", 1_000_000, TrafficDirection.Downstream, TimeProvider.System);
        _backend.Add(toxic);
        using var client = await ConnectAsync();
        var payload = new string('x', 200_000);

        var echoed = await RoundTripAsync(client, payload);

        Assert.Equal(payload.Length, echoed.Length);
        Assert.Equal(200_000, toxic.BytesThrottled);
    }

    [Fact]
    public async Task Latency_HoldsEveryChunkAtLeastTheLatency()
    {
        var toxic = new LatencyToxic("latency-1", TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(10), TrafficDirection.Both, new Random(1), TimeProvider.System);
        _backend.Add(toxic);
        using var client = await ConnectAsync();

        await RoundTripAsync(client, "slow");

        Assert.True(toxic.Hits >= 2, $"{toxic.Hits} chunks held (one each way at least)");
        Assert.True(toxic.MinimumHeld >= TimeSpan.FromMilliseconds(20), $"held {toxic.MinimumHeld}");
    }

    [Fact]
    public async Task ToxicsInjectedAndRevertedMidStream_ActOnTheOpenConnection_EveryByteArrivesInOrder()
    {
        // A bulk stream through the proxy (the pumps on their large buffers, bytes in flight both ways) while toxics come
        // and go: each must act on this already-open connection (Toxiproxy #148), stop acting once reverted, and
        // the echoed stream must be the one sent, byte for byte.
        using var client = await ConnectAsync();
        using var stop = new CancellationTokenSource();
        var stream = new PatternStream();
        var writer = PatternStream.WriteAsync(client, stop.Token);
        var reader = stream.ReadAsync(client);
        Toxic[] toxics =
        [
            new LatencyToxic("latency-mid", TimeSpan.FromMilliseconds(1), TimeSpan.Zero, TrafficDirection.Both, new Random(1), TimeProvider.System),
            new BandwidthToxic("bandwidth-mid", 20_000_000, TrafficDirection.Downstream, TimeProvider.System),
        ];
        await UntilAsync(() => stream.Received > 4 << 20, "4 MiB echoed before any toxic");

        foreach (var toxic in toxics)
        {
            _backend.Add(toxic);
            await UntilAsync(() => toxic.Hits >= 10, $"{toxic.FaultId} acts on the open connection");
            _backend.Remove(toxic);
            var actedAtRevert = Acted(toxic);
            var receivedAtRevert = stream.Received;
            await UntilAsync(() => stream.Received > receivedAtRevert + (4 << 20), $"4 MiB more echoed after {toxic.FaultId} was reverted");

            // Once reverted, at most the chunk each direction was holding when the toxic went.
            Assert.InRange(Acted(toxic), actedAtRevert, actedAtRevert + (toxic is LatencyToxic ? 2 : 2 * ProxyConstants.MaxBufferSize));
        }

        await stop.CancelAsync();
        var sent = await writer;
        await reader;
        Assert.Null(stream.FirstMismatch);
        Assert.Equal(sent, stream.Received);
    }

    /// <summary>Chunks a latency toxic held; bytes a bandwidth toxic paced (it counts a hit per slice, and slices vary).</summary>
    private static long Acted(Toxic toxic) => toxic is BandwidthToxic bandwidth ? bandwidth.BytesThrottled : toxic.Hits;

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var met = await Killswitch.Chaos.Waits.UntilAsync(_ => ValueTask.FromResult(condition()), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        Assert.True(met, $"Timed out waiting for: {what}.");
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _sut.Port));
        return socket;
    }

    private static async Task<string> RoundTripAsync(Socket client, string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        await client.SendAsync(bytes, SocketFlags.None);
        var received = new byte[bytes.Length];
        var total = 0;
        while (total < received.Length)
        {
            var read = await client.ReceiveAsync(received.AsMemory(total), SocketFlags.None);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return System.Text.Encoding.ASCII.GetString(received, 0, total);
    }

    private async Task EchoAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket peer;
            try
            {
                peer = await _echo.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (peer)
                {
                    var buffer = new byte[8192];
                    try
                    {
                        int read;
                        while ((read = await peer.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                        {
                            await peer.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                        }
                    }
                    catch (SocketException)
                    {
                        // Reset by a toxic.
                    }
                }
            });
        }
    }
}

/// <summary>A stream of bytes whose value is their position modulo 251: written until stopped, checked as it comes back.</summary>
internal sealed class PatternStream
{
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>The position of the first byte that came back wrong, if any.</summary>
    public long? FirstMismatch { get; private set; }

    /// <summary>Writes 64 KiB chunks until <paramref name="stop"/>, then half-closes; returns the bytes sent.</summary>
    public static async Task<long> WriteAsync(Socket socket, CancellationToken stop)
    {
        await Task.Yield();
        var chunk = new byte[64 * 1024];
        var sent = 0L;
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)((sent + i) % 251);
            }

            var offset = 0;
            while (offset < chunk.Length)
            {
                offset += await socket.SendAsync(chunk.AsMemory(offset), SocketFlags.None, CancellationToken.None);
            }

            sent += chunk.Length;
        }

        socket.Shutdown(SocketShutdown.Send);
        return sent;
    }

    /// <summary>Reads to the end of the stream, checking every byte.</summary>
    public async Task ReadAsync(Socket socket)
    {
        await Task.Yield();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            var position = Received;
            for (var i = 0; FirstMismatch is null && i < read; i++)
            {
                if (buffer[i] != (byte)((position + i) % 251))
                {
                    FirstMismatch = position + i;
                }
            }

            Interlocked.Add(ref _received, read);
        }
    }
}
