using k8s;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// Where the target's cluster comes from: a kind cluster created or reused through the <c>kind</c> CLI
/// (<see cref="Kind"/>), or any cluster a kubeconfig context names (<see cref="Existing"/>, e.g. the CI cluster).
/// </summary>
public abstract class ClusterProvider
{
    private protected ClusterProvider()
    {
    }

    /// <summary>A short description for messages (<c>kind cluster 'killswitch'</c>).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// A kind cluster called <paramref name="clusterName"/>: created from <paramref name="configPath"/> (for example
    /// <c>build/kind/cluster.yaml</c>) unless it exists, with the given locally built images loaded into its nodes
    /// (<c>kind load docker-image</c>); its context is <c>kind-&lt;name&gt;</c>. Needs the <c>kind</c> CLI on PATH.
    /// </summary>
    public static ClusterProvider Kind(string clusterName = "killswitch", string? configPath = null, IEnumerable<string>? imagesToLoad = null) =>
        new KindClusterProvider(clusterName, configPath, [.. imagesToLoad ?? []]);

    /// <summary>
    /// The cluster of an existing kubeconfig context. <paramref name="kubeconfigPath"/> defaults to
    /// <c>$KILLSWITCH_KUBECONFIG</c>, then <c>$KUBECONFIG</c>, then <c>~/.kube/config</c>; <paramref name="context"/> to
    /// <c>$KILLSWITCH_KUBE_CONTEXT</c>, then the kubeconfig's current context.
    /// </summary>
    public static ClusterProvider Existing(string? kubeconfigPath = null, string? context = null) => new ExistingClusterProvider(kubeconfigPath, context);

    /// <summary>Makes the cluster available and returns how to reach it.</summary>
    internal abstract Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Makes locally built images available to the cluster's nodes (kind loads them; other clusters pull).</summary>
    internal virtual Task LoadImagesAsync(IReadOnlyCollection<string> images, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>How to reach a cluster: the client configuration and the context name the safety checks use.</summary>
internal sealed record ClusterConnection(KubernetesClientConfiguration Configuration, string Context, string Source);
