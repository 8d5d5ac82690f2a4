using System.ComponentModel;
using System.Diagnostics;
using k8s;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// A kind cluster, through the <c>kind</c> CLI: <c>kind get clusters</c> to find it, <c>kind create cluster</c> to make
/// it, <c>kind load docker-image</c> for locally built images, <c>kind get kubeconfig</c> for its context
/// (<c>kind-&lt;name&gt;</c>).
/// </summary>
internal sealed class KindClusterProvider(string clusterName, string? configPath, IReadOnlyList<string> images) : ClusterProvider
{
    public override string Description => $"kind cluster '{clusterName}'";

    internal string KindExecutable { get; init; } = "kind";

    internal override async Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (!KubernetesNames.IsDnsLabel(clusterName))
        {
            throw new ChaosTargetException($"kind cluster name '{clusterName}' is not valid: use lower-case letters, digits and '-'.") { Target = KubernetesTargetConstants.Name };
        }

        var clusters = (await RunAsync(["get", "clusters"], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!clusters.Contains(clusterName, StringComparer.Ordinal))
        {
            List<string> create = ["create", "cluster", "--name", clusterName, "--wait", "120s"];
            if (configPath is not null)
            {
                create.AddRange(["--config", configPath]);
            }

            await RunAsync(create, cancellationToken).ConfigureAwait(false);
        }

        await LoadImagesAsync(images, cancellationToken).ConfigureAwait(false);
        var yaml = await RunAsync(["get", "kubeconfig", "--name", clusterName], cancellationToken).ConfigureAwait(false);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(yaml));
        var kubeconfig = await KubernetesClientConfiguration.LoadKubeConfigAsync(stream).ConfigureAwait(false);
        var context = "kind-" + clusterName;
        return new ClusterConnection(KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, context), context, Description);
    }

    internal override async Task LoadImagesAsync(IReadOnlyCollection<string> imagesToLoad, CancellationToken cancellationToken)
    {
        foreach (var image in imagesToLoad.Distinct(StringComparer.Ordinal))
        {
            await RunAsync(["load", "docker-image", image, "--name", clusterName], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(KindExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("Process.Start returned null.");
        }
        catch (Win32Exception ex)
        {
            throw new ChaosTargetException(
                $"The kind CLI ('{KindExecutable}') could not be started: {ex.Message}. Install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation) " +
                "and put it on PATH, or use ClusterProvider.Existing(kubeconfig, context) for a cluster you already have.",
                ex)
            { Target = KubernetesTargetConstants.Name };
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            if (process.ExitCode != 0)
            {
                throw new ChaosTargetException($"'kind {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}") { Target = KubernetesTargetConstants.Name };
            }

            return await stdout.ConfigureAwait(false);
        }
    }
}
