using System.Globalization;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// The target's safety checks, each refusing with a message that says how to allow what was refused: the kube context
/// (before anything is created), the namespace, and the share of a workload's pods one PodKill may delete.
/// </summary>
internal static class SafetyGuard
{
    public static void CheckContext(string context, string source, IList<string> allowed)
    {
        if (allowed.Any(pattern => KubernetesNames.GlobMatches(pattern, context)))
        {
            return;
        }

        throw new ChaosTargetException(
            $"Refusing to run chaos in kube context '{context}' ({source}): it is not in AllowedContexts ({string.Join(", ", allowed)}). " +
            "Chaos runs only in allow-listed contexts so that a test never hits a shared or production cluster by mistake. " +
            $"If '{context}' is a disposable test cluster, allow it: KubernetesTargetOptions.AllowedContexts.Add(\"{context}\"). See docs/targets/kubernetes.md#safety.")
        { Target = KubernetesTargetConstants.Name };
    }

    /// <summary>Whether <paramref name="namespace"/> matches the allow-list (the sweep acts only where chaos may).</summary>
    public static bool IsAllowedNamespace(string @namespace, IList<string> allowed) =>
        allowed.Any(pattern => KubernetesNames.GlobMatches(pattern, @namespace));

    public static void CheckNamespace(string @namespace, IList<string> allowed)
    {
        if (allowed.Any(pattern => KubernetesNames.GlobMatches(pattern, @namespace)))
        {
            return;
        }

        throw new ChaosTargetException(
            $"Refusing to run chaos in namespace '{@namespace}': it is not in AllowedNamespaces ({string.Join(", ", allowed)}). " +
            $"Allow it with KubernetesTargetOptions.AllowedNamespaces.Add(\"{@namespace}\"), or leave Namespace unset so the target " +
            "creates a throw-away namespace of its own. See docs/targets/kubernetes.md#safety.")
        { Target = KubernetesTargetConstants.Name };
    }

    /// <summary>The most pods of a workload with <paramref name="pods"/> live pods one PodKill may delete: the share, rounded down, at least one.</summary>
    public static int MaxVictims(int pods, double share) => Math.Max(1, (int)Math.Floor(pods * share));

    public static void CheckPodKillShare(FaultInjection injection, string service, int victims, int pods, double share)
    {
        var max = MaxVictims(pods, share);
        if (victims <= max)
        {
            return;
        }

        throw new ChaosTargetException(string.Create(
            CultureInfo.InvariantCulture,
            $"Refusing to delete {victims} of the {pods} pods of '{service}' at once: MaxPodKillShare ({share:0.##}) allows {max}. " +
            $"Choose fewer (Mode = SelectionMode.Fixed({max}), or Sequence = PodKillSequence.Serial), or raise KubernetesTargetOptions.MaxPodKillShare."))
        {
            Fault = injection.Fault.DisplayName,
            Target = KubernetesTargetConstants.Name,
        };
    }
}
