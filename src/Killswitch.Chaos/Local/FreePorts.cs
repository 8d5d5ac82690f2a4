using System.Net;
using System.Net.Sockets;

namespace Killswitch.Chaos.Local;

/// <summary>Picks free loopback ports by binding port 0.</summary>
internal static class FreePorts
{
    /// <summary>
    /// A port that was free a moment ago. The replica binds it itself, so another process could take it in between; the
    /// readiness check then fails with the replica's own error, which names the port.
    /// </summary>
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
