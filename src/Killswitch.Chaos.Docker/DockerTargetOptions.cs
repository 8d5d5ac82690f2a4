using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Docker;

/// <summary>Options of the <see cref="DockerTarget"/>.</summary>
public sealed class DockerTargetOptions
{
    /// <summary>Where session journals live. Default <see cref="ChaosJournal.DefaultDirectory"/> (shared with the local target; each sweeps its own).</summary>
    public string JournalDirectory { get; set; } = ChaosJournal.DefaultDirectory;

    /// <summary>The image of the helper containers that apply network faults. Default <see cref="DockerTargetConstants.DefaultToolsImage"/> (build/images/tools.sh).</summary>
    public string ToolsImage { get; set; } = DockerTargetConstants.DefaultToolsImage;

    /// <summary>
    /// How network faults are applied in a container's namespace: <see cref="NetworkFaultMechanism.Auto"/> (default: latency
    /// through netem where the kernel has it, else the agent's NFQUEUE packet delayer, else its proxy; other faults through
    /// the proxy), <see cref="NetworkFaultMechanism.Proxy"/> or <see cref="NetworkFaultMechanism.Nfqueue"/>.
    /// </summary>
    public NetworkFaultMechanism NetworkFaultMechanism { get; set; } = NetworkFaultMechanism.Auto;

    /// <summary>
    /// Whether a graceful PodKill (<see cref="PodKillOptions.Force"/> false) first takes each victim out of its service,
    /// as Kubernetes removes a pod from its Service's endpoints before SIGTERM: the service's host endpoint stops routing
    /// to it, and a helper container (the tools image's <c>killswitch-agent drain</c>) makes it refuse new connections
    /// with a TCP reset, so callers on the private network that resolved the service name to several replicas connect to
    /// another one, while established connections finish. Every other replica on the network also refuses its own new
    /// connections to the victim's address (<c>drain --to</c> in its namespace) until the replacement is ready: Docker's
    /// DNS lists a stopping container a moment after its network is gone, and a connect to that address would hang.
    /// Default true. A forced PodKill never drains (a crash does not either).
    /// </summary>
    public bool DrainBeforeStop { get; set; } = true;

    /// <summary>How long a replica may take to answer its readiness path. Default <see cref="DockerTargetConstants.DefaultReadinessTimeout"/>.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = DockerTargetConstants.DefaultReadinessTimeout;

    /// <summary>How often readiness is polled. Default <see cref="DockerTargetConstants.DefaultReadinessPollInterval"/>.</summary>
    public TimeSpan ReadinessPollInterval { get; set; } = DockerTargetConstants.DefaultReadinessPollInterval;

    /// <summary>How long a helper container may take to report its fault in force. Default <see cref="DockerTargetConstants.DefaultAgentTimeout"/>.</summary>
    public TimeSpan AgentTimeout { get; set; } = DockerTargetConstants.DefaultAgentTimeout;

    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the target logs. Default: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(JournalDirectory))
        {
            errors.Add("JournalDirectory is required.");
        }

        if (string.IsNullOrWhiteSpace(ToolsImage))
        {
            errors.Add($"ToolsImage is required (default {DockerTargetConstants.DefaultToolsImage}, built by build/images/tools.sh).");
        }

        if (!Enum.IsDefined(NetworkFaultMechanism))
        {
            errors.Add($"NetworkFaultMechanism '{NetworkFaultMechanism}' is not Auto, Proxy or Nfqueue.");
        }

        foreach (var (name, value) in new[] { (nameof(ReadinessTimeout), ReadinessTimeout), (nameof(ReadinessPollInterval), ReadinessPollInterval), (nameof(AgentTimeout), AgentTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{name} must be greater than zero (was {value.TotalMilliseconds} ms).");
            }
        }

        if (errors.Count > 0)
        {
            throw new ChaosValidationException("DockerTargetOptions", errors) { Target = DockerTargetConstants.Name };
        }
    }
}

/// <summary>How the Docker target applies network faults inside a container's network namespace.</summary>
public enum NetworkFaultMechanism
{
    /// <summary>
    /// Latency: netem for downstream latency without <c>From</c> where the kernel has it, else <see cref="Nfqueue"/> where
    /// it works, else <see cref="Proxy"/>. Every other fault: the proxy.
    /// </summary>
    Auto,

    /// <summary>
    /// Always iptables REDIRECT into the agent's TCP proxy (works on every kernel with iptables). Only connections opened
    /// after injection are affected: a client's pooled keep-alive connection keeps its old path.
    /// </summary>
    Proxy,

    /// <summary>
    /// Latency through iptables NFQUEUE and the agent's packet delayer: every connection of the port, those opened before
    /// the fault too (needs the kernel's nfnetlink_queue; injection fails without it). Other faults: the proxy.
    /// </summary>
    Nfqueue,
}

/// <summary>Defaults, labels and names of the Docker target.</summary>
public static class DockerTargetConstants
{
    /// <summary>The target's name in reports and journals.</summary>
    public const string Name = "docker";

    /// <summary>Default <see cref="DockerTargetOptions.ToolsImage"/>.</summary>
    public const string DefaultToolsImage = "killswitch/tools:1";

    /// <summary>Label on every container and network the target creates: the session's run id.</summary>
    public const string RunIdLabel = "killswitch.dev/run-id";

    /// <summary>Label on everything the target creates: <c>docker</c>. The sweep lists by it.</summary>
    public const string TargetLabel = "killswitch.dev/target";

    /// <summary>Label naming the owner process as <c>host/pid/start-token</c>: the sweep removes what dead owners on this host left, journal or not.</summary>
    public const string OwnerLabel = "killswitch.dev/owner";

    /// <summary>Label telling replicas (<c>replica</c>) from helper containers (<c>agent</c>).</summary>
    public const string RoleLabel = "killswitch.dev/role";

    /// <summary>Label with a replica's instance id (on its helpers too).</summary>
    public const string InstanceLabel = "killswitch.dev/instance";

    /// <summary>Journal resource kind of a container (detail: its name).</summary>
    public const string ContainerResource = "docker-container";

    /// <summary>Journal resource kind of a network (detail: its name).</summary>
    public const string NetworkResource = "docker-network";

    /// <summary>Default readiness timeout.</summary>
    public static readonly TimeSpan DefaultReadinessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Default readiness poll interval.</summary>
    public static readonly TimeSpan DefaultReadinessPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Default helper start and stop timeout.</summary>
    public static readonly TimeSpan DefaultAgentTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Environment variable every replica gets with the session's run id.</summary>
    public const string RunIdVariable = "KILLSWITCH_RUN_ID";

    /// <summary>Environment variable every replica gets with its instance id.</summary>
    public const string InstanceIdVariable = "KILLSWITCH_INSTANCE_ID";
}
