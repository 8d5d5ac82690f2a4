using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// API version negotiation, as the Docker CLI does it. Testcontainers 4.16's client (Docker.DotNet.Enhanced 4.3) asks for
/// API 1.52 and an older engine refuses every call ("client version 1.52 is too new. Maximum supported API version is
/// 1.41" from Debian 12's docker.io 20.10). When <c>DOCKER_API_VERSION</c> is not set and the engine is on a local Unix
/// socket, this asks the engine's unversioned <c>/version</c> endpoint and, for an older engine, sets
/// <c>DOCKER_API_VERSION</c> for this process, which Testcontainers honours. A user's own setting always wins.
/// </summary>
internal static class ApiVersion
{
    /// <summary>The API version the bundled client speaks by default.</summary>
    public static readonly Version Client = new(1, 52);

    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>The version this process set, or null (not needed, set by the user, or not a local socket).</summary>
    public static string? Negotiated { get; private set; }

    public static void Negotiate()
    {
        lock (Gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION")))
            {
                return;
            }

            var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
            var socket = string.IsNullOrEmpty(host) ? "/var/run/docker.sock" : host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : null;
            if (socket is null || !OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() || !File.Exists(socket))
            {
                return;
            }

            try
            {
                using var http = new HttpClient(new SocketsHttpHandler
                {
                    ConnectCallback = async (_, ct) =>
                    {
                        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                        await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct).ConfigureAwait(false);
                        return new NetworkStream(s, ownsSocket: true);
                    },
                })
                {
                    Timeout = TimeSpan.FromSeconds(5),
                };
                var json = http.GetStringAsync(new Uri("http://docker/version")).GetAwaiter().GetResult();
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.TryGetProperty("ApiVersion", out var value) && value.GetString() is { } text
                    && Version.TryParse(text, out var server) && server < Client)
                {
                    Negotiated = server.ToString(2);
                    Environment.SetEnvironmentVariable("DOCKER_API_VERSION", Negotiated.ToString(CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException or JsonException or TaskCanceledException or UnauthorizedAccessException)
            {
                // No answer: Testcontainers' own connection attempt will say what is wrong.
            }
        }
    }
}
