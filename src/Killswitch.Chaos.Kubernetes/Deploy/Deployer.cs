using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// Creates or replaces the objects of the system under test and waits for their rollout by watching. Create-or-replace
/// (POST, then GET + PUT on 409) works the same on every Kubernetes version the target supports: server-side apply is
/// GA only from 1.22, and our CI cluster is 1.20.
/// </summary>
internal static class Deployer
{
    public static async Task<V1Service> ApplyServiceAsync(IKubernetes client, V1Service service, CancellationToken cancellationToken)
    {
        var ns = service.Metadata.NamespaceProperty;
        try
        {
            return await client.CoreV1.CreateNamespacedServiceAsync(service, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.IsConflict())
        {
            var existing = await client.CoreV1.ReadNamespacedServiceAsync(service.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            service.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            // A Service's ClusterIP is immutable: keep the one it has.
            service.Spec.ClusterIP = existing.Spec.ClusterIP;
            return await client.CoreV1.ReplaceNamespacedServiceAsync(service, service.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<V1Deployment> ApplyDeploymentAsync(IKubernetes client, V1Deployment deployment, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        try
        {
            return await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.IsConflict())
        {
            var existing = await client.AppsV1.ReadNamespacedDeploymentAsync(deployment.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            deployment.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            return await client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, deployment.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until the Deployment's newest generation is rolled out: observed, every replica updated, ready and available
    /// (what <c>kubectl rollout status</c> checks). Throws with the Deployment's conditions when the time runs out.
    /// </summary>
    public static async Task WaitForRolloutAsync(IKubernetes client, string @namespace, string name, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        V1Deployment? last = null;
        try
        {
            while (true)
            {
                var list = await client.AppsV1.ListNamespacedDeploymentAsync(@namespace, fieldSelector: "metadata.name=" + name, cancellationToken: linked.Token).ConfigureAwait(false);
                last = list.Items.FirstOrDefault();
                if (last is not null && IsRolledOut(last))
                {
                    return;
                }

                var events = client.AppsV1.WatchListNamespacedDeploymentAsync(
                    @namespace, fieldSelector: "metadata.name=" + name, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 30, cancellationToken: linked.Token);
                await foreach (var (type, deployment) in events.ConfigureAwait(false))
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        last = deployment;
                        if (IsRolledOut(deployment))
                        {
                            return;
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var pods = await DescribePodsAsync(client, @namespace, name, CancellationToken.None).ConfigureAwait(false);
            throw new ChaosTargetException(
                string.Create(CultureInfo.InvariantCulture, $"Deployment {@namespace}/{name} did not roll out within RolloutTimeout ({timeout.TotalSeconds:0} s): ") +
                (last is null ? "it does not exist. " : $"{last.Status?.ReadyReplicas ?? 0}/{last.Spec.Replicas} ready; conditions: {string.Join("; ", last.Status?.Conditions?.Select(c => $"{c.Type}={c.Status} {c.Reason}: {c.Message}") ?? [])}. ") +
                $"Pods: {pods}. Check the image is present on the nodes (kind: kind load docker-image) and that the readiness path answers.")
            { Target = KubernetesTargetConstants.Name };
        }
    }

    internal static bool IsRolledOut(V1Deployment d)
    {
        var wanted = d.Spec?.Replicas ?? 1;
        var status = d.Status;
        return status is not null
            && (status.ObservedGeneration ?? 0) >= (d.Metadata.Generation ?? 0)
            && (status.UpdatedReplicas ?? 0) == wanted
            && (status.ReadyReplicas ?? 0) == wanted
            && (status.AvailableReplicas ?? 0) == wanted
            && (status.Replicas ?? 0) == wanted;
    }

    private static async Task<string> DescribePodsAsync(IKubernetes client, string @namespace, string service, CancellationToken cancellationToken)
    {
        try
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: $"{ServiceConstants.ServiceLabel}={service}", cancellationToken: cancellationToken).ConfigureAwait(false);
            return pods.Items.Count == 0
                ? "(none)"
                : string.Join("; ", pods.Items.Select(p => $"{p.Metadata.Name} {p.Status?.Phase} " + string.Join(",", p.Status?.ContainerStatuses?.Select(c => c.State?.Waiting?.Reason ?? c.State?.Terminated?.Reason ?? (c.Ready ? "ready" : "not ready")) ?? [])));
        }
        catch (HttpOperationException ex)
        {
            return "could not list them: " + ex.Message;
        }
    }
}
