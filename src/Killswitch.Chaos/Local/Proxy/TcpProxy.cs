using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Local.Proxy;

/// <summary>
/// A TCP proxy (on loopback unless told otherwise) that balances connections round-robin over the live replicas of one service and applies
/// toxics per replica. The local target runs one per service (its stable endpoint, the Kubernetes Service of this
/// world) and one per dependency edge (the address a caller is given for its dependency), so a fault can act on all
/// traffic into a replica or on one edge only.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _bufferSize;
    private readonly Task _acceptLoop;
    private ProxyBackend[] _backends = [];
    private int _next;
    private int _disposed;
    private long _accepted;

    /// <param name="name">The service or edge, for messages.</param>
    /// <param name="time">The clock toxics wait on.</param>
    /// <param name="logger">Where connection failures go.</param>
    /// <param name="bufferSize">Per busy connection and direction.</param>
    /// <param name="bindAddress">Where to listen; default loopback. The network agent listens on <see cref="IPAddress.Any"/>
    /// because iptables REDIRECT delivers to the address of the interface the packet came in on.</param>
    /// <param name="port">The port to listen on; default 0, a free one.</param>
    public TcpProxy(string name, TimeProvider time, ILogger logger, int bufferSize = ProxyConstants.DefaultBufferSize, IPAddress? bindAddress = null, int port = 0)
    {
        Name = name;
        _time = time;
        _logger = logger;
        _bufferSize = bufferSize;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(bindAddress ?? IPAddress.Loopback, port));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        Endpoint = new Uri($"http://127.0.0.1:{Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The service (<c>payments</c>) or edge (<c>checkout->payments</c>) this proxy fronts.</summary>
    public string Name { get; }

    public int Port { get; }

    public Uri Endpoint { get; }

    public IReadOnlyList<ProxyBackend> Backends => Volatile.Read(ref _backends);

    public long ConnectionsAccepted => Interlocked.Read(ref _accepted);

    public ProxyBackend AddBackend(string instanceId, IPEndPoint endpoint)
    {
        var backend = new ProxyBackend(instanceId, endpoint);
        ProxyBackend[] current;
        do
        {
            current = Volatile.Read(ref _backends);
        }
        while (Interlocked.CompareExchange(ref _backends, [.. current, backend], current) != current);
        return backend;
    }

    public void RemoveBackend(string instanceId)
    {
        ProxyBackend[] current;
        do
        {
            current = Volatile.Read(ref _backends);
        }
        while (Interlocked.CompareExchange(ref _backends, [.. current.Where(b => b.InstanceId != instanceId)], current) != current);
    }

    public ProxyBackend? FindBackend(string instanceId) => Backends.FirstOrDefault(b => b.InstanceId == instanceId);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var backend in Backends)
        {
            foreach (var connection in backend.Connections.Keys)
            {
                connection.Close(reset: false);
            }
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        client.NoDelay = true;
        var backends = Volatile.Read(ref _backends);
        Socket? server = null;
        ProxyBackend? chosen = null;
        var start = Interlocked.Increment(ref _next);
        for (var i = 0; i < backends.Length && server is null; i++)
        {
            var backend = backends[(int)((uint)(start + i) % (uint)backends.Length)];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(backend.EndPoint, _stopping.Token).ConfigureAwait(false);
                server = socket;
                chosen = backend;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A replica that just died: try the next one, as a Service skips endpoints that are not ready.
                Log.ProxyConnectionFailed(_logger, Name, ex);
                socket.Dispose();
            }
        }

        if (server is null || chosen is null)
        {
            client.Dispose();
            return;
        }

        var connection = new ProxyConnection(client, server, chosen, _time, _bufferSize);
        chosen.Connections.TryAdd(connection, 0);
        foreach (var toxic in chosen.Toxics)
        {
            Arm(connection, toxic);
        }

        await connection.RunAsync().ConfigureAwait(false);
    }

    /// <summary>Applies the connection-level part of a toxic (resets, blackhole closes) to a connection.</summary>
    public static void Arm(ProxyConnection connection, Toxic toxic)
    {
        switch (toxic)
        {
            case ResetPeerToxic reset:
                connection.ScheduleReset(reset, reset.ResetAfter);
                break;
            case BlackholeToxic { CloseAfter: { } closeAfter } blackhole:
                connection.ScheduleBlackholeClose(blackhole, closeAfter);
                break;
        }
    }
}

/// <summary>Proxy defaults.</summary>
internal static class ProxyConstants
{
    /// <summary>2 KiB per direction, owned by every connection: one receive for a typical request or response.</summary>
    public const int IdleBufferSize = 2 * 1024;

    /// <summary>16 KiB: the first pooled buffer of a connection that filled its idle buffer.</summary>
    public const int DefaultBufferSize = 16 * 1024;

    /// <summary>256 KiB: what a connection that keeps filling its buffer grows to (bulk transfers).</summary>
    public const int MaxBufferSize = 256 * 1024;
}
