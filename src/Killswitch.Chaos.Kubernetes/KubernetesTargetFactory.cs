using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using k8s;
using Killswitch.Chaos.Kubernetes;
using Killswitch.Chaos.Local.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

[assembly: Killswitch.Chaos.ChaosTargetFactory(typeof(KubernetesTargetFactory))]

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// The <see cref="IChaosTargetFactory"/> of the Kubernetes target (<c>KILLSWITCH_TARGET=kubernetes</c>): the cluster of
/// <c>KILLSWITCH_KUBECONFIG</c>/<c>KILLSWITCH_KUBE_CONTEXT</c> (see <see cref="ClusterProvider.Existing"/>), with the
/// default safety settings plus that context when it is set explicitly (and NodePort endpoints for a <c>kind-*</c> context,
/// whose ClusterIPs the host cannot reach). The request's environment is added to every
/// service's <see cref="KubernetesRuntime.Environment"/>; a loopback URL of the test process
/// (<c>http://127.0.0.1:PORT</c>, the OFREP server) is relayed: a TCP relay listens on
/// <see cref="KubernetesTargetOptions.HostAddress"/> and the pods get that address instead.
/// </summary>
public sealed class KubernetesTargetFactory : IChaosTargetFactory
{
    private readonly Func<KubernetesTargetOptions> _options;

    /// <summary>Creates the factory; targets get default options for the cluster named by the environment.</summary>
    public KubernetesTargetFactory()
        : this(DefaultOptions)
    {
    }

    /// <summary>Creates the factory; each target gets the options <paramref name="options"/> returns.</summary>
    public KubernetesTargetFactory(Func<KubernetesTargetOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => KubernetesTargetConstants.Name;

    /// <inheritdoc />
    public async ValueTask<TargetAvailability> CheckAvailabilityAsync(CancellationToken cancellationToken = default)
    {
        var options = _options();
        try
        {
            var connection = await options.Cluster!.ConnectAsync(cancellationToken).ConfigureAwait(false);
            SafetyGuard.CheckContext(connection.Context, connection.Source, options.AllowedContexts);
            using var client = new k8s.Kubernetes(connection.Configuration);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await client.Version.GetCodeAsync(timeout.Token).ConfigureAwait(false);
            return TargetAvailability.Available;
        }
        catch (Exception ex) when (ex is ChaosTargetException or HttpRequestException or OperationCanceledException or k8s.Autorest.HttpOperationException or k8s.Exceptions.KubeConfigException)
        {
            // The kubeconfig's own error already says where to read on; others get the pointer here, once.
            const string docs = "docs/targets/kubernetes.md";
            var pointer = ex.Message.Contains(docs, StringComparison.Ordinal) ? string.Empty : $" See {docs} (kind quick start, or build/k8s/ci.sh start).";
            return TargetAvailability.Unavailable($"No usable Kubernetes cluster: {ex.Message}{pointer}");
        }
    }

    /// <inheritdoc />
    public IChaosTarget Create(ChaosTargetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = _options();
        var relays = new List<TcpProxy>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Environment)
        {
            environment[name] = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsLoopback
                ? Relay(uri, options, relays)
                : value;
        }

        foreach (var runtime in request.System.Services.Select(s => s.GetRuntime<KubernetesRuntime>()).OfType<KubernetesRuntime>())
        {
            foreach (var (name, value) in environment)
            {
                runtime.Environment.TryAdd(name, value);
            }
        }

        try
        {
            return new KubernetesTarget(request.System, options, relays);
        }
        catch
        {
            foreach (var relay in relays)
            {
                relay.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }
    }

    internal static KubernetesTargetOptions DefaultOptions() => DefaultOptions(Environment.GetEnvironmentVariable);

    internal static KubernetesTargetOptions DefaultOptions(Func<string, string?> environment)
    {
        var options = new KubernetesTargetOptions { Cluster = ClusterProvider.Existing() };
        var context = environment(KubernetesTargetConstants.ContextVariable);
        if (!string.IsNullOrEmpty(context) && !options.AllowedContexts.Contains(context))
        {
            // Naming the context explicitly in the environment is the opt-in; a kubeconfig's current context is not.
            options.AllowedContexts.Add(context);
        }

        if (context?.StartsWith("kind-", StringComparison.Ordinal) == true)
        {
            // kind: ClusterIPs are not routable from the host, the node containers' addresses are (docs/targets/kubernetes.md#endpoints).
            options.EndpointMode = EndpointMode.NodePort;
        }

        return options;
    }

    /// <summary>The address pods reach this host at: the option, else docker0's IPv4 address.</summary>
    internal static IPAddress? DetectHostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.Name == "docker0")
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);

    private static string Relay(Uri uri, KubernetesTargetOptions options, List<TcpProxy> relays)
    {
        var host = options.HostAddress ?? DetectHostAddress()
            ?? throw new ChaosTargetException(
                $"The services need {uri} (a loopback address of the test host), but no address pods can reach this host at is known: " +
                "set KubernetesTargetOptions.HostAddress (the Docker bridge or kind network gateway).")
            { Target = KubernetesTargetConstants.Name };
        var relay = new TcpProxy("relay:" + uri.Authority, TimeProvider.System, NullLogger.Instance, bindAddress: host);
        relay.AddBackend("host", new IPEndPoint(IPAddress.Loopback, uri.Port));
        relays.Add(relay);
        return new UriBuilder(uri) { Host = host.ToString(), Port = relay.Port }.Uri.ToString();
    }
}
