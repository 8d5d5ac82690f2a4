using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// Reverts what dead sessions on this host left in the cluster. Two sources, so that a session killed at any point is
/// covered: the cluster itself (helper pods and namespaces carry <see cref="KubernetesTargetConstants.OwnerAnnotation"/>),
/// and the journals of dead owners (what they were about to create, even if the owner died before labelling it).
/// Deleting a helper pod is its revert: the kubelet sends its agent SIGTERM and the agent takes its rules out of the
/// target pod before the pod is gone; the sweep waits for that.
/// </summary>
internal static class Sweeper
{
    public static async Task<SweepReport> SweepAsync(KubernetesTarget target, CancellationToken cancellationToken)
    {
        var client = target.Client;
        var time = target.Options.TimeProvider;
        var details = new List<string>();
        var removed = 0;
        var sessions = new HashSet<string>(StringComparer.Ordinal);

        var helpers = await ListHelpersAsync(target, cancellationToken).ConfigureAwait(false);
        foreach (var helper in helpers.Where(h => Owner.IsAbandoned(h.Metadata.Annotation(KubernetesTargetConstants.OwnerAnnotation))))
        {
            var ns = helper.Metadata.NamespaceProperty;
            await HelperPod.DeleteAndWaitAsync(client, helper.Metadata.Name, ns, TimeSpan.FromSeconds(60), time, cancellationToken).ConfigureAwait(false);
            removed++;
            sessions.Add(helper.Metadata.Label(KubernetesTargetConstants.RunIdLabel) ?? "?");
            Add($"deleted helper pod {ns}/{helper.Metadata.Name} of dead owner {helper.Metadata.Annotation(KubernetesTargetConstants.OwnerAnnotation)} " +
                $"(fault {helper.Metadata.Annotation(KubernetesTargetConstants.InjectionAnnotation)} on pod {helper.Metadata.Annotation("killswitch.dev/target-pod")}); its agent reverted the rules");
        }

        foreach (var ns in await ListNamespacesAsync(client, cancellationToken).ConfigureAwait(false))
        {
            if (ns.Status?.Phase == "Terminating" || !Owner.IsAbandoned(ns.Metadata.Annotation(KubernetesTargetConstants.OwnerAnnotation)))
            {
                continue;
            }

            await DeleteNamespaceAsync(client, ns.Metadata.Name, cancellationToken).ConfigureAwait(false);
            removed++;
            sessions.Add(ns.Metadata.Label(KubernetesTargetConstants.RunIdLabel) ?? "?");
            Add($"deleted namespace {ns.Metadata.Name} of dead owner {ns.Metadata.Annotation(KubernetesTargetConstants.OwnerAnnotation)}");
        }

        foreach (var (path, record) in ChaosJournal.FindAbandoned(target.Options.JournalDirectory, (p, ex) => Log.JournalUnreadable(target.Logger, p, ex)))
        {
            if (record.Target != KubernetesTargetConstants.Name)
            {
                continue;
            }

            var mine = record.Resources.Select(r => (Resource: r, Parts: (r.Detail ?? string.Empty).Split('|'))).ToArray();
            if (mine.Any(r => r.Parts[0] != target.Context))
            {
                // Recorded against another cluster: only a session connected to that context can clean it.
                continue;
            }

            foreach (var (resource, parts) in mine)
            {
                if (resource.Kind == KubernetesTargetConstants.HelperPodResource && parts.Length == 3)
                {
                    await HelperPod.DeleteAndWaitAsync(client, parts[2], parts[1], TimeSpan.FromSeconds(60), time, cancellationToken).ConfigureAwait(false);
                    Add($"{record.RunId}: helper pod {parts[1]}/{parts[2]} is gone");
                }
                else if (resource.Kind == KubernetesTargetConstants.NamespaceResource && parts.Length == 2)
                {
                    await DeleteNamespaceAsync(client, parts[1], cancellationToken).ConfigureAwait(false);
                    Add($"{record.RunId}: namespace {parts[1]} deleted");
                }
            }

            File.Delete(path);
            sessions.Add(record.RunId);
        }

        return sessions.Count == 0 && details.Count == 0 ? SweepReport.Empty : new SweepReport(sessions.Count, removed, details);

        void Add(string line)
        {
            details.Add(line);
            Log.Swept(target.Logger, line);
        }
    }

    private static async Task<IReadOnlyList<V1Pod>> ListHelpersAsync(KubernetesTarget target, CancellationToken cancellationToken)
    {
        var selector = $"{KubernetesTargetConstants.ManagedByLabel}={KubernetesTargetConstants.ManagedByValue},{KubernetesTargetConstants.RoleLabel}={KubernetesTargetConstants.HelperRole}";
        try
        {
            return (await target.Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToArray();
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Forbidden)
        {
            // A namespaced Role (docs/targets/kubernetes.md#rbac) cannot list across namespaces: sweep the target's own.
            return (await target.Client.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToArray();
        }
    }

    private static async Task<IReadOnlyList<V1Namespace>> ListNamespacesAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            var selector = $"{KubernetesTargetConstants.ManagedByLabel}={KubernetesTargetConstants.ManagedByValue}";
            return (await client.CoreV1.ListNamespaceAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToArray();
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Forbidden)
        {
            return [];
        }
    }

    private static async Task DeleteNamespaceAsync(IKubernetes client, string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespaceAsync(name, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            // Already gone.
        }
    }
}
