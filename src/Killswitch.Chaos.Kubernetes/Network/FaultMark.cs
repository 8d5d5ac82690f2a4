using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// The record a network fault leaves on its target pod while its rules may be in the pod's network namespace: the label
/// <see cref="KubernetesTargetConstants.FaultedLabel"/> (what a sweep lists by) and one annotation per fault,
/// <c>fault.killswitch.dev/&lt;injection id&gt;: owner|run id|helper|mechanism</c>. Written before the helper starts and removed once
/// the agent has reverted, so a pod whose agent was SIGKILLed (or whose helper was force-deleted) keeps the record, and
/// the next session's sweep knows which rules to remove, from which pod, on behalf of which dead owner. Unlike the helper
/// pod, the target pod outlives the session that faulted it.
/// </summary>
internal static class FaultMark
{
    /// <summary>The mechanism before the agent has reported one.</summary>
    public const string Pending = "pending";

    public static string Key(string injectionId) => KubernetesTargetConstants.FaultAnnotationPrefix + injectionId;

    public static string Value(string owner, string runId, string helper, string mechanism) => $"{owner}|{runId}|{helper}|{mechanism}";

    /// <summary>The marks on <paramref name="pod"/>: injection id, owner, run id, helper and mechanism.</summary>
    public static IEnumerable<(string InjectionId, string Owner, string RunId, string Helper, string Mechanism)> Read(V1Pod pod)
    {
        foreach (var (key, value) in pod.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (!key.StartsWith(KubernetesTargetConstants.FaultAnnotationPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = value.Split('|');
            yield return (key[KubernetesTargetConstants.FaultAnnotationPrefix.Length..], parts[0], Part(1), Part(2), parts.Length > 3 ? parts[3] : Pending);

            string Part(int i) => parts.Length > i ? parts[i] : string.Empty;
        }
    }

    /// <summary>Sets (adds or updates) the mark of <paramref name="injectionId"/>; a merge patch, so marks of other faults stay.</summary>
    public static Task SetAsync(IKubernetes client, string @namespace, string pod, string injectionId, string value, CancellationToken cancellationToken) =>
        PatchAsync(client, @namespace, pod, new Dictionary<string, object?>
        {
            ["metadata"] = new Dictionary<string, object?>
            {
                ["labels"] = new Dictionary<string, object?> { [KubernetesTargetConstants.FaultedLabel] = "true" },
                ["annotations"] = new Dictionary<string, object?> { [Key(injectionId)] = value },
            },
        },
        cancellationToken);

    /// <summary>
    /// Removes the mark of <paramref name="injectionId"/>, and the label when no other fault's mark is left. Conditional on
    /// the pod's resource version (read, then patch; again on a conflict), so a mark added meanwhile keeps its label.
    /// A pod that is gone needs nothing.
    /// </summary>
    public static async Task ClearAsync(IKubernetes client, string @namespace, string pod, string injectionId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            V1Pod current;
            try
            {
                current = await client.CoreV1.ReadNamespacedPodAsync(pod, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.IsNotFound())
            {
                return;
            }

            var others = Read(current).Any(m => m.InjectionId != injectionId);
            if (current.Metadata.Annotation(Key(injectionId)) is null && (others || current.Metadata.Label(KubernetesTargetConstants.FaultedLabel) is null))
            {
                return;
            }

            var metadata = new Dictionary<string, object?>
            {
                ["resourceVersion"] = current.Metadata.ResourceVersion,
                ["annotations"] = new Dictionary<string, object?> { [Key(injectionId)] = null },
            };
            if (!others)
            {
                metadata["labels"] = new Dictionary<string, object?> { [KubernetesTargetConstants.FaultedLabel] = null };
            }

            try
            {
                await PatchAsync(client, @namespace, pod, new Dictionary<string, object?> { ["metadata"] = metadata }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException ex) when (ex.IsConflict() && attempt < 5)
            {
                // Another mark changed meanwhile: read again.
            }
            catch (HttpOperationException ex) when (ex.IsNotFound())
            {
                return;
            }
        }
    }

    private static Task<V1Pod> PatchAsync(IKubernetes client, string @namespace, string pod, Dictionary<string, object?> body, CancellationToken cancellationToken) =>
        client.CoreV1.PatchNamespacedPodAsync(new V1Patch(JsonSerializer.Serialize(body), V1Patch.PatchType.MergePatch), pod, @namespace, cancellationToken: cancellationToken);
}
