using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// Asks the kubelet, through the API's exec endpoint, whether a container still runs: the kubelet accepts an exec into
/// a running container (101 Switching Protocols; the command, a path that exists nowhere, then fails inside it) and
/// refuses it once the container has exited (<c>container not found</c>). The PodKill proof uses it when a node is slow
/// to report a deleted pod's containers as terminated (a loaded kubelet 1.20 never did, for a minute and more, although
/// the container had exited and its volumes were unmounted). Nothing runs in the container either way.
/// </summary>
internal static class ContainerLiveness
{
    private const string Command = "/killswitch-podkill-liveness-check";

    /// <summary>True when the container has exited, false when it runs, null when the answer says neither (the detail says what it was).</summary>
    public static async Task<(bool? Exited, string Detail)> AskAsync(KubernetesTarget target, string pod, string container, CancellationToken cancellationToken)
    {
        var path = $"api/v1/namespaces/{Uri.EscapeDataString(target.Namespace)}/pods/{Uri.EscapeDataString(pod)}/exec?container={Uri.EscapeDataString(container)}&command={Uri.EscapeDataString(Command)}&stdout=true";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        request.Headers.Add("Sec-WebSocket-Protocol", "v4.channel.k8s.io");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await target.SendToApiAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
            {
                return (false, $"container '{container}' accepts an exec: it runs");
            }

            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var message = Message(body);
            var answer = $"the kubelet refused an exec into container '{container}': {(int)response.StatusCode} {message}";
            return message.Contains("container not found", StringComparison.OrdinalIgnoreCase) || message.Contains("not running", StringComparison.OrdinalIgnoreCase)
                ? (true, answer)
                : (null, answer);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"an exec into container '{container}' got no answer: {ex.Message}");
        }
    }

    /// <summary>The <c>message</c> of a Kubernetes Status object, or the body itself.</summary>
    private static string Message(string body)
    {
        try
        {
            using var status = JsonDocument.Parse(body);
            if (status.RootElement.ValueKind == JsonValueKind.Object && status.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
        }

        return body.Trim();
    }
}
