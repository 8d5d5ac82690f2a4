using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>Options of the <see cref="KubernetesTarget"/>, validated when the target is created.</summary>
public sealed class KubernetesTargetOptions
{
    /// <summary>Where the cluster comes from: <see cref="ClusterProvider.Kind"/> or <see cref="ClusterProvider.Existing"/>. Required.</summary>
    public ClusterProvider? Cluster { get; set; }

    /// <summary>
    /// The namespace the services run in. <see langword="null"/> (default): a fresh namespace
    /// <c>killswitch-&lt;id&gt;</c> per session, deleted when the target is disposed. When set, the namespace must exist
    /// and match <see cref="AllowedNamespaces"/>.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// Kubeconfig contexts chaos may run in (<c>*</c> matches any run of characters). A context not listed is refused
    /// before anything is created. Default <see cref="KubernetesTargetConstants.DefaultAllowedContexts"/>.
    /// </summary>
    public IList<string> AllowedContexts { get; } = [.. KubernetesTargetConstants.DefaultAllowedContexts];

    /// <summary>Namespaces chaos may act in (<c>*</c> wildcards). Default <see cref="KubernetesTargetConstants.DefaultAllowedNamespaces"/>.</summary>
    public IList<string> AllowedNamespaces { get; } = [.. KubernetesTargetConstants.DefaultAllowedNamespaces];

    /// <summary>
    /// The largest share (0..1] of one workload's pods a PodKill may delete at once; at least one pod is always
    /// allowed. A selection over the limit is refused. Default <see cref="KubernetesTargetConstants.DefaultMaxPodKillShare"/>.
    /// </summary>
    public double MaxPodKillShare { get; set; } = KubernetesTargetConstants.DefaultMaxPodKillShare;

    /// <summary>
    /// List what each fault would hit instead of acting: every injection is recorded in the timeline and the log, nothing
    /// is deleted or changed, and each fault's proof says it did not take effect (so the run is inconclusive, never a pass).
    /// </summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// Image of the helper pod that enters a target pod's network namespace. Default
    /// <see cref="KubernetesTargetConstants.DefaultHelperImage"/>, built locally by <c>build/images/tools.sh</c>
    /// (with kind, <see cref="ClusterProvider.Kind"/> loads it into the nodes). Any image with bash, nsenter, iptables and
    /// the Killswitch delayer works; see docs/targets/kubernetes.md.
    /// </summary>
    public string HelperImage { get; set; } = KubernetesTargetConstants.DefaultHelperImage;

    /// <summary>
    /// The address pods reach the test host at, for <see cref="KubernetesTargetFactory"/>'s relay of loopback URLs (the
    /// OFREP server of the xUnit extension). Default: the Docker bridge's address (<c>docker0</c>, 172.17.0.1), which
    /// is right for the CI cluster; for kind use the <c>kind</c> network's gateway (<c>docker network inspect kind</c>).
    /// </summary>
    public System.Net.IPAddress? HostAddress { get; set; }

    /// <summary>How the services are reached from the test host. Default <see cref="EndpointMode.ClusterIP"/>.</summary>
    public EndpointMode EndpointMode { get; set; } = EndpointMode.ClusterIP;

    /// <summary>How long a Deployment may take to roll out. Default <see cref="KubernetesTargetConstants.DefaultRolloutTimeout"/>.</summary>
    public TimeSpan RolloutTimeout { get; set; } = KubernetesTargetConstants.DefaultRolloutTimeout;

    /// <summary>
    /// How long a helper pod may take to put its fault in force, and, once deleted, for its agent to report the fault
    /// reverted (past that, or when the agent ended without reverting, a one-shot pod sweeps its rules out of the target
    /// pod). Default <see cref="KubernetesTargetConstants.DefaultHelperTimeout"/>.
    /// </summary>
    public TimeSpan HelperTimeout { get; set; } = KubernetesTargetConstants.DefaultHelperTimeout;

    /// <summary>
    /// A dead man's switch: the cluster ends any fault after this long even if nobody reverts it (the helper pod's
    /// activeDeadlineSeconds). Default <see cref="KubernetesTargetConstants.DefaultMaxFaultLifetime"/>.
    /// </summary>
    public TimeSpan MaxFaultLifetime { get; set; } = KubernetesTargetConstants.DefaultMaxFaultLifetime;

    /// <summary>Where session journals live. Default <see cref="ChaosJournal.DefaultDirectory"/>.</summary>
    public string JournalDirectory { get; set; } = ChaosJournal.DefaultDirectory;

    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the target logs. Default: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (Cluster is null)
        {
            errors.Add("Cluster is required: ClusterProvider.Kind(\"name\") for a kind cluster, or ClusterProvider.Existing(kubeconfig, context).");
        }

        if (Namespace is not null && !KubernetesNames.IsDnsLabel(Namespace))
        {
            errors.Add($"Namespace '{Namespace}' is not a valid namespace name (lower-case letters, digits and '-', at most 63).");
        }

        if (AllowedContexts.Count == 0)
        {
            errors.Add("AllowedContexts is empty, so no cluster is allowed. Add the context to allow (for example \"kind-*\").");
        }

        if (AllowedNamespaces.Count == 0)
        {
            errors.Add("AllowedNamespaces is empty, so no namespace is allowed. Add the namespace to allow (for example \"killswitch-*\").");
        }

        if (MaxPodKillShare is <= 0 or > 1 || double.IsNaN(MaxPodKillShare))
        {
            errors.Add($"MaxPodKillShare must be greater than 0 and at most 1 (was {MaxPodKillShare}).");
        }

        if (string.IsNullOrWhiteSpace(HelperImage))
        {
            errors.Add("HelperImage is required.");
        }

        if (!Enum.IsDefined(EndpointMode))
        {
            errors.Add($"EndpointMode '{EndpointMode}' is not ClusterIP or NodePort.");
        }

        foreach (var (name, value) in new[] { ("RolloutTimeout", RolloutTimeout), ("HelperTimeout", HelperTimeout), ("MaxFaultLifetime", MaxFaultLifetime) })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{name} must be greater than zero (was {value.TotalMilliseconds} ms).");
            }
        }

        if (string.IsNullOrWhiteSpace(JournalDirectory))
        {
            errors.Add("JournalDirectory is required.");
        }

        if (errors.Count > 0)
        {
            throw new ChaosValidationException("KubernetesTargetOptions", errors) { Target = KubernetesTargetConstants.Name };
        }
    }
}

/// <summary>How the test host reaches a service in the cluster.</summary>
public enum EndpointMode
{
    /// <summary>
    /// The Service's ClusterIP. Works where the test host routes to the service network: on a cluster node (the CI
    /// cluster: kube-proxy runs on the test host), or inside the cluster.
    /// </summary>
    ClusterIP,

    /// <summary>
    /// A NodePort Service reached at the node's InternalIP. Works with kind on Linux (the kind nodes' addresses are
    /// routable from the host); on Docker Desktop use kind's extraPortMappings (build/kind/cluster.yaml).
    /// </summary>
    NodePort,
}
