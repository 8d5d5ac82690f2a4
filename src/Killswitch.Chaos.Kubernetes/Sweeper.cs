using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// Reverts what dead sessions on this host left in the cluster. Two sources, so that a session killed at any point is
/// covered: the cluster itself (helper pods and namespaces carry <see cref="KubernetesTargetConstants.OwnerAnnotation"/>;
/// faulted target pods carry a <see cref="FaultMark"/>), and the journals of dead owners (what they were about to create,
/// even if the owner died before labelling it). Deleting a helper pod is its revert when its agent still runs (the
/// kubelet sends it SIGTERM and it takes its rules out); when the agent is dead too (SIGKILLed, or its pod force-deleted),
/// its rules are still in the target pod's network namespace — target pods outlive the session, unlike the Docker
/// target's containers — and a one-shot pod runs <c>killswitch-agent sweep</c> there. The sweep acts only in namespaces
/// that <see cref="KubernetesTargetOptions.AllowedNamespaces"/> allows, like every other change the target makes.
/// </summary>
internal static class Sweeper
{
    public static async Task<SweepReport> SweepAsync(KubernetesTarget target, CancellationToken cancellationToken)
    {
        var client = target.Client;
        var time = target.Options.TimeProvider;
        var timeout = target.Options.HelperTimeout;
        var allowed = target.Options.AllowedNamespaces;
        var details = new List<string>();
        var removed = 0;
        var sessions = new HashSet<string>(StringComparer.Ordinal);

        // Namespaces of dead owners go last, but are known first: their pods die with them, so their rules need no sweep.
        var namespaces = (await ListNamespacesAsync(client, cancellationToken).ConfigureAwait(false))
            .Where(ns => ns.Status?.Phase != "Terminating" && SafetyGuard.IsAllowedNamespace(ns.Metadata.Name, allowed) && Owner.IsAbandoned(ns.Metadata.Annotation(KubernetesTargetConstants.OwnerAnnotation)))
            .ToArray();
        var doomed = namespaces.Select(ns => ns.Metadata.Name).ToHashSet(StringComparer.Ordinal);

        var helpers = await ListPodsAsync(target, $"{KubernetesTargetConstants.ManagedByLabel}={KubernetesTargetConstants.ManagedByValue},{KubernetesTargetConstants.RoleLabel} in ({KubernetesTargetConstants.HelperRole},{KubernetesTargetConstants.SweeperRole})", cancellationToken).ConfigureAwait(false);
        foreach (var helper in helpers.Where(h => !h.IsTerminating() && SafetyGuard.IsAllowedNamespace(h.Metadata.NamespaceProperty, allowed) && Owner.IsAbandoned(h.Metadata.Annotation(KubernetesTargetConstants.OwnerAnnotation))))
        {
            var ns = helper.Metadata.NamespaceProperty;
            var problem = await HelperPod.StopAsync(client, helper.Metadata.Name, ns, timeout, time, cancellationToken).ConfigureAwait(false);
            removed++;
            sessions.Add(helper.Metadata.Label(KubernetesTargetConstants.RunIdLabel) ?? "?");
            var injection = helper.Metadata.Annotation(KubernetesTargetConstants.InjectionAnnotation);
            var victim = helper.Metadata.Annotation("killswitch.dev/target-pod");
            if (helper.Metadata.Label(KubernetesTargetConstants.RoleLabel) == KubernetesTargetConstants.SweeperRole)
            {
                Add($"deleted sweep pod {ns}/{helper.Metadata.Name} of dead owner {helper.Metadata.Annotation(KubernetesTargetConstants.OwnerAnnotation)}");
                continue;
            }

            Add($"deleted helper pod {ns}/{helper.Metadata.Name} of dead owner {helper.Metadata.Annotation(KubernetesTargetConstants.OwnerAnnotation)} " +
                $"(fault {injection} on pod {victim}); " + (problem is null ? "its agent reverted the rules" : problem));
            if (problem is null && injection is not null && victim?.Split('/') is [var victimNamespace, var victimName])
            {
                // The agent took its rules out: the pod's mark has nothing left to say.
                await FaultMark.ClearAsync(client, victimNamespace, victimName, injection, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var pod in (await ListPodsAsync(target, KubernetesTargetConstants.FaultedLabel, cancellationToken).ConfigureAwait(false)).Where(p => SafetyGuard.IsAllowedNamespace(p.Metadata.NamespaceProperty, allowed)))
        {
            var ns = pod.Metadata.NamespaceProperty;
            foreach (var mark in FaultMark.Read(pod).Where(m => Owner.IsAbandoned(m.Owner)).ToArray())
            {
                if (!pod.IsTerminating() && !doomed.Contains(ns) && pod.Status?.Phase == "Running")
                {
                    var swept = await HelperPod.SweepRulesAsync(target, pod, mark.InjectionId, mark.Mechanism, cancellationToken).ConfigureAwait(false);
                    removed++;
                    Add($"swept pod {ns}/{pod.Metadata.Name}: removed {swept["rules"]} rule(s) of fault {mark.InjectionId} (mechanism {mark.Mechanism}) that the dead owner {mark.Owner}'s agent left" +
                        (swept["netem"]?.GetValue<bool>() == true ? ", and a netem qdisc" : string.Empty));
                }

                await FaultMark.ClearAsync(client, ns, pod.Metadata.Name, mark.InjectionId, cancellationToken).ConfigureAwait(false);
                sessions.Add(mark.RunId);
            }
        }

        foreach (var ns in namespaces)
        {
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
                    // Normally gone by now (the label pass above); the rules of a dead agent are in its pod's mark.
                    var problem = await HelperPod.StopAsync(client, parts[2], parts[1], timeout, time, cancellationToken).ConfigureAwait(false);
                    Add($"{record.RunId}: helper pod {parts[1]}/{parts[2]} is gone" + (problem is null ? "; its agent reverted the rules" : string.Empty));
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

    private static async Task<IReadOnlyList<V1Pod>> ListPodsAsync(KubernetesTarget target, string selector, CancellationToken cancellationToken)
    {
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
