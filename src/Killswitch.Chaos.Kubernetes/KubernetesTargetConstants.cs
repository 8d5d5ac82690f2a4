namespace Killswitch.Chaos.Kubernetes;

/// <summary>Defaults, labels and names of the Kubernetes target.</summary>
public static class KubernetesTargetConstants
{
    /// <summary>The target's name in reports and journals.</summary>
    public const string Name = "kubernetes";

    /// <summary>The context the CI cluster's kubeconfig uses (<c>build/k8s/start.sh</c>).</summary>
    public const string CiContext = "killswitch-ci";

    /// <summary>Default <see cref="KubernetesTargetOptions.AllowedContexts"/>: kind's contexts and the CI cluster's.</summary>
    public static IReadOnlyList<string> DefaultAllowedContexts { get; } = ["kind-*", CiContext];

    /// <summary>Prefix of the namespace the target creates per session when <see cref="KubernetesTargetOptions.Namespace"/> is not set.</summary>
    public const string NamespacePrefix = "killswitch-";

    /// <summary>Default <see cref="KubernetesTargetOptions.AllowedNamespaces"/>: only the namespaces the target creates.</summary>
    public static IReadOnlyList<string> DefaultAllowedNamespaces { get; } = [NamespacePrefix + "*"];

    /// <summary>Default <see cref="KubernetesTargetOptions.MaxPodKillShare"/>: half of a workload's pods (at least one).</summary>
    public const double DefaultMaxPodKillShare = 0.5;

    /// <summary>Default <see cref="KubernetesTargetOptions.RolloutTimeout"/>.</summary>
    public static readonly TimeSpan DefaultRolloutTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Default <see cref="KubernetesTargetOptions.HelperTimeout"/>.</summary>
    public static readonly TimeSpan DefaultHelperTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Default <see cref="KubernetesTargetOptions.MaxFaultLifetime"/>.</summary>
    public static readonly TimeSpan DefaultMaxFaultLifetime = TimeSpan.FromHours(1);

    /// <summary>Default <see cref="KubernetesTargetOptions.HelperImage"/>: built locally by <c>build/images/tools.sh</c>.</summary>
    public const string DefaultHelperImage = "killswitch/tools:1";

    /// <summary>Environment variable naming the kubeconfig the tests and the CI script use (besides <c>KUBECONFIG</c>).</summary>
    public const string KubeconfigVariable = "KILLSWITCH_KUBECONFIG";

    /// <summary>Environment variable naming the context the tests use.</summary>
    public const string ContextVariable = "KILLSWITCH_KUBE_CONTEXT";

    /// <summary>Label on everything the target creates.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>Value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedByValue = "killswitch";

    /// <summary>Label carrying the session's run id.</summary>
    public const string RunIdLabel = "killswitch.dev/run-id";

    /// <summary>Label carrying the role of a pod the target runs for itself (<see cref="HelperRole"/>).</summary>
    public const string RoleLabel = "killswitch.dev/role";

    /// <summary>Role of the helper pods that put network faults into a target pod's network namespace.</summary>
    public const string HelperRole = "fault-helper";

    /// <summary>Role of the one-shot pods that remove the rules a dead agent left in a target pod (<c>killswitch-agent sweep</c>).</summary>
    public const string SweeperRole = "fault-sweeper";

    /// <summary>
    /// Label on a target pod while a network fault may have rules in its network namespace (set before the helper
    /// starts, removed once the agent has reverted): the sweep lists pods by it.
    /// </summary>
    public const string FaultedLabel = "killswitch.dev/network-fault";

    /// <summary>
    /// Prefix of the annotations on a faulted target pod, one per fault (<c>fault.killswitch.dev/&lt;injection id&gt;</c>),
    /// valued <c>owner|run id|helper pod|mechanism</c>: what a sweep needs to remove that fault's rules when its owner is dead.
    /// </summary>
    public const string FaultAnnotationPrefix = "fault.killswitch.dev/";

    /// <summary>Annotation: the owner process as <c>host/pid/start-token</c>; a sweep on that host reverts it when the owner is dead.</summary>
    public const string OwnerAnnotation = "killswitch.dev/owner";

    /// <summary>Annotation on a helper pod: the injection id.</summary>
    public const string InjectionAnnotation = "killswitch.dev/injection";

    /// <summary>Journal resource kind: a namespace the session created.</summary>
    public const string NamespaceResource = "k8s-namespace";

    /// <summary>Journal resource kind: a helper pod.</summary>
    public const string HelperPodResource = "k8s-helper-pod";
}
