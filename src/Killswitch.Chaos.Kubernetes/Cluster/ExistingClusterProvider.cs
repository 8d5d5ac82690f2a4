using k8s;
using k8s.Exceptions;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>A cluster named by a kubeconfig context.</summary>
internal sealed class ExistingClusterProvider(string? kubeconfigPath, string? context) : ClusterProvider
{
    public override string Description => $"kubeconfig '{ResolvePath()}'" + (ResolveContext() is { } c ? $", context '{c}'" : string.Empty);

    internal string ResolvePath()
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return kubeconfigPath;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(KubernetesTargetConstants.KubeconfigVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            // KUBECONFIG may list several files; the first one is the one kubectl writes to and what we read.
            return kubeconfig.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    internal string? ResolveContext() =>
        !string.IsNullOrEmpty(context) ? context : Environment.GetEnvironmentVariable(KubernetesTargetConstants.ContextVariable) is { Length: > 0 } c ? c : null;

    internal override async Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var path = ResolvePath();
        if (!File.Exists(path))
        {
            throw new ChaosTargetException(
                $"No kubeconfig at '{path}'. Pass its path to ClusterProvider.Existing(kubeconfigPath), or set " +
                $"{KubernetesTargetConstants.KubeconfigVariable} (the CI script build/k8s/ci.sh exports it), or create a kind cluster " +
                "(kind create cluster --config build/kind/cluster.yaml). See docs/targets/kubernetes.md.")
            { Target = KubernetesTargetConstants.Name };
        }

        var kubeconfig = await KubernetesClientConfiguration.LoadKubeConfigAsync(path).ConfigureAwait(false);
        var name = ResolveContext() ?? kubeconfig.CurrentContext;
        if (string.IsNullOrEmpty(name) || kubeconfig.Contexts?.Any(c => c.Name == name) != true)
        {
            var known = string.Join(", ", kubeconfig.Contexts?.Select(c => c.Name) ?? []);
            throw new ChaosTargetException(
                $"Kubeconfig '{path}' has no context '{name}'. Its contexts: {(known.Length == 0 ? "(none)" : known)}. " +
                $"Pass the context to ClusterProvider.Existing(path, context) or set {KubernetesTargetConstants.ContextVariable}.")
            { Target = KubernetesTargetConstants.Name };
        }

        try
        {
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, name);
            return new ClusterConnection(configuration, name, $"kubeconfig '{path}'");
        }
        catch (KubeConfigException ex)
        {
            throw new ChaosTargetException($"Kubeconfig '{path}', context '{name}', is not usable: {ex.Message}", ex) { Target = KubernetesTargetConstants.Name };
        }
    }
}
