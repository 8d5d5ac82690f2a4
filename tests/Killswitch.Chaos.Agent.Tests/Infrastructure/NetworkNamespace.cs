using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Killswitch.Chaos.Agent.Tests.Infrastructure;

/// <summary>
/// A network namespace of the test's own (<c>ip netns add ks-agent-XXXX</c>) joined to the test's namespace by a veth
/// pair on a /30, standing in for a container's: servers listen inside it (sockets created by a thread that entered
/// it), clients connect from outside as a neighbour container would, and the agent runs in it with <c>ip netns exec</c>.
/// Deleting the namespace removes the veth pair, its iptables rules and any NFQUEUE queue with it.
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stop = new();

    private NetworkNamespace(string name, IPAddress inside, IPAddress outside, string hostLink)
    {
        Name = name;
        Inside = inside;
        Outside = outside;
        HostLink = hostLink;
    }

    public string Name { get; }

    /// <summary>The namespace's address, reachable from the test.</summary>
    public IPAddress Inside { get; }

    /// <summary>The test's end of the veth pair, reachable from inside the namespace.</summary>
    public IPAddress Outside { get; }

    /// <summary>The test's end of the veth pair: removing <see cref="Outside"/> from it makes that address vanish, as a stopped container's does.</summary>
    public string HostLink { get; }

    public static NetworkNamespace Create()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        var name = "ks-agent-" + id;
        // 10.214.X.Y/30: unlikely to meet Docker's 172.17/16 or a cluster's ranges; the random third and fourth octets
        // keep parallel runs apart.
        var octet = RandomNumberGenerator(256);
        var host = (RandomNumberGenerator(64) * 4) + 1;
        var outside = $"10.214.{octet}.{host}";
        var inside = $"10.214.{octet}.{host + 1}";
        var sut = new NetworkNamespace(name, IPAddress.Parse(inside), IPAddress.Parse(outside), "ksh" + id);
        try
        {
            Run("ip", "netns", "add", name);
            Run("ip", "link", "add", "ksh" + id, "type", "veth", "peer", "name", "ksn" + id);
            Run("ip", "link", "set", "ksn" + id, "netns", name);
            Run("ip", "addr", "add", outside + "/30", "dev", "ksh" + id);
            Run("ip", "link", "set", "ksh" + id, "up");
            Run("ip", "netns", "exec", name, "ip", "addr", "add", inside + "/30", "dev", "ksn" + id);
            Run("ip", "netns", "exec", name, "ip", "link", "set", "ksn" + id, "up");
            Run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
            return sut;
        }
        catch
        {
            sut.Dispose();
            throw;
        }

        static int RandomNumberGenerator(int max) => System.Security.Cryptography.RandomNumberGenerator.GetInt32(max);
    }

    /// <summary>A line server on <paramref name="port"/> inside the namespace: answers "pong\n" to every line.</summary>
    public void Serve(int port) => Listen(CreateInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)), IPAddress.Any, port);

    /// <summary>The same line server on the test's side, on <see cref="Outside"/>: what a caller inside the namespace reaches.</summary>
    public void ServeOutside(int port) => Listen(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), Outside, port);

    /// <summary>A client connection made from inside the namespace, as the caller container's would be.</summary>
    public LineClient ConnectFromInside(IPAddress address, int port, TimeSpan timeout) =>
        LineClient.Connect(CreateInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)), address, port, timeout);

    /// <summary>Creates a socket in the namespace: a thread enters it, creates the socket and ends; the socket stays there.</summary>
    private Socket CreateInside(Func<Socket> create)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle("/var/run/netns/" + Name);
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {Name} failed (errno {Marshal.GetLastPInvokeError()}).");
                }

                socket = create();
            }
#pragma warning disable CA1031 // Rethrown on the test's thread below.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
            }
        });
        thread.Start();
        thread.Join();
        return error is null ? socket! : throw error;
    }

    private void Listen(Socket listener, IPAddress address, int port)
    {
        _listeners.Add(listener);
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(64);
        _ = AcceptAsync(listener, _stop.Token);
    }

    /// <summary>The namespace's iptables rules carrying the agents' comment, as <c>iptables -S</c> prints them.</summary>
    public string AgentRules()
    {
        var rules = new StringBuilder();
        foreach (var table in new[] { "nat", "filter", "mangle" })
        {
            foreach (var line in Run("ip", "netns", "exec", Name, "iptables", "-w", "5", "-t", table, "-S").Split('\n'))
            {
                if (line.Contains("killswitch:", StringComparison.Ordinal))
                {
                    rules.Append(table).Append(": ").AppendLine(line);
                }
            }
        }

        return rules.ToString();
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        Run("ip", ["netns", "del", Name], check: false);
        _stop.Dispose();
    }

    public static string Run(string file, params string[] arguments) => Run(file, arguments, check: true);

    private static string Run(string file, string[] arguments, bool check)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"'{file} {string.Join(' ', arguments)}' failed (exit {process.ExitCode}): {output}"));
        }

        return output;
    }

    private static async Task AcceptAsync(Socket listener, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var connection = await listener.AcceptAsync(cancellationToken);
                _ = EchoAsync(connection, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The namespace is going away.
        }
    }

    private static async Task EchoAsync(Socket connection, CancellationToken cancellationToken)
    {
        using (connection)
        {
            var buffer = new byte[4096];
            var pong = "pong\n"u8.ToArray();
            try
            {
                int read;
                while ((read = await connection.ReceiveAsync(buffer, cancellationToken)) > 0)
                {
                    for (var i = 0; i < read; i++)
                    {
                        if (buffer[i] == '\n')
                        {
                            await connection.SendAsync(pong, cancellationToken);
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // Client gone or namespace going away.
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}

/// <summary>A client connection from outside the namespace that times request/response round trips.</summary>
internal sealed class LineClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64];

    private LineClient(Socket socket) => _socket = socket;

    public static LineClient Connect(IPAddress address, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 15_000 };
        socket.Connect(address, port);
        return new LineClient(socket);
    }

    /// <summary>Connects <paramref name="socket"/>; a connect that neither succeeds nor fails within <paramref name="timeout"/> throws <see cref="SocketError.TimedOut"/>.</summary>
    public static LineClient Connect(Socket socket, IPAddress address, int port, TimeSpan timeout)
    {
        socket.NoDelay = true;
        socket.ReceiveTimeout = 15_000;
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            socket.ConnectAsync(address, port, cancel.Token).AsTask().GetAwaiter().GetResult();
            return new LineClient(socket);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One request/response round trip.</summary>
    public TimeSpan RoundTrip()
    {
        var started = Stopwatch.GetTimestamp();
        _socket.Send("ping\n"u8);
        ReceiveLine();
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Sends one request; true when its reply came within <paramref name="timeout"/> (else it may come later).</summary>
    public bool TrySend(TimeSpan timeout)
    {
        _socket.Send("ping\n"u8);
        return TryReceive(timeout);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for one whole reply line.</summary>
    public bool TryReceive(TimeSpan timeout)
    {
        _socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            ReceiveLine();
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
        {
            return false;
        }
        finally
        {
            _socket.ReceiveTimeout = 15_000;
        }
    }

    /// <summary>The fastest and the median of <paramref name="count"/> round trips.</summary>
    public (TimeSpan Floor, TimeSpan Median) Measure(int count)
    {
        var samples = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            samples.Add(RoundTrip());
        }

        samples.Sort();
        return (samples[0], samples[count / 2]);
    }

    public void Dispose() => _socket.Dispose();

    private void ReceiveLine()
    {
        var received = 0;
        while (received == 0 || _buffer[received - 1] != '\n')
        {
            var read = _socket.Receive(_buffer, received, _buffer.Length - received, SocketFlags.None);
            if (read == 0)
            {
                throw new InvalidOperationException("The server closed the connection.");
            }

            received += read;
        }
    }
}
