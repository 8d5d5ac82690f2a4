using k8s;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// How the Kubernetes target runs a service: a container image (<see cref="FromImage"/>) that the target wraps in a
/// Deployment and a Service, or a Deployment manifest of your own (<see cref="FromManifest"/>, e.g. the sample's
/// <c>k8s/</c> files). Either way the target sets the Deployment's name, namespace, replica count and labels from the
/// <see cref="ServiceDefinition"/>, so selectors, PodKill and network faults see the same service in every target.
/// </summary>
public sealed class KubernetesRuntime : IServiceRuntime
{
    private TimeSpan? _preStopDelay;

    private KubernetesRuntime(V1Deployment template, int port)
    {
        Template = template;
        Port = port;
    }

    /// <summary>The Deployment the target starts from (a copy is deployed; this one is not changed).</summary>
    public V1Deployment Template { get; }

    /// <summary>The container port that serves HTTP (the readiness path and the Service's target port).</summary>
    public int Port { get; }

    /// <summary>
    /// When set, the first container gets a preStop hook that sleeps this long before the kubelet sends SIGTERM, so a pod
    /// deleted gracefully keeps serving while its Service stops routing to it: the endpoints controller drops a
    /// terminating pod at once, but kube-proxy (or the CNI's service routing) programs that a moment later, and until then
    /// new connections still reach the pod. Without it a graceful PodKill refuses a few connections through the Service
    /// even with a second replica ready. The hook runs <c>sleep</c>, so the image needs it (any image with a shell does;
    /// Kubernetes 1.30+ has a built-in sleep action, but 1.20 — the CI cluster — has not). A manifest's own preStop
    /// hook is kept. A PodKill's <see cref="PodKillOptions.GracePeriod"/> must exceed the delay for the pod to stop
    /// gracefully after it. Default: none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? PreStopDelay
    {
        get => _preStopDelay;
        set
        {
            if (value is { } v && v <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(value), v, "PreStopDelay must be greater than zero; leave it null for no preStop hook.");
            }

            _preStopDelay = value;
        }
    }

    /// <summary>Extra environment variables for the service's first container.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// A Deployment of one container running <paramref name="image"/> and serving HTTP on <paramref name="port"/>.
    /// <paramref name="imagePullPolicy"/> defaults to <c>IfNotPresent</c>, right for locally built images loaded into
    /// kind or present in the node's engine.
    /// </summary>
    public static KubernetesRuntime FromImage(string image, int port = 8080, IEnumerable<string>? args = null, string imagePullPolicy = "IfNotPresent")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var container = new V1Container
        {
            Name = "app",
            Image = image,
            ImagePullPolicy = imagePullPolicy,
            Args = args?.ToList(),
            Ports = [new V1ContainerPort { ContainerPort = port, Name = "http" }],
        };
        var template = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta(),
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector(),
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta(),
                    Spec = new V1PodSpec { Containers = [container], TerminationGracePeriodSeconds = 5 },
                },
            },
        };
        return new KubernetesRuntime(template, port);
    }

    /// <summary>
    /// The first Deployment in the YAML file at <paramref name="path"/> (other documents are ignored). The HTTP port is
    /// <paramref name="port"/>, or else the first container's first declared port.
    /// </summary>
    /// <exception cref="ChaosValidationException">The file has no Deployment, or no port can be found.</exception>
    public static KubernetesRuntime FromManifest(string path, int? port = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var documents = KubernetesYaml.LoadAllFromString(File.ReadAllText(path));
        var deployment = documents.OfType<V1Deployment>().FirstOrDefault()
            ?? throw new ChaosValidationException($"Manifest '{path}'", ["It contains no apps/v1 Deployment; KubernetesRuntime.FromManifest needs one."]);
        return FromDeployment(deployment, port, $"Manifest '{path}'");
    }

    /// <summary>A Deployment object of your own (a copy is kept).</summary>
    public static KubernetesRuntime FromDeployment(V1Deployment deployment, int? port = null) => FromDeployment(deployment, port, "Deployment");

    /// <summary>The Deployment for <paramref name="service"/> in <paramref name="namespace"/>.</summary>
    internal V1Deployment Render(ServiceDefinition service, string @namespace, IReadOnlyDictionary<string, string> extraLabels, IReadOnlyDictionary<string, string> environment)
    {
        var deployment = KubernetesJson.Deserialize<V1Deployment>(KubernetesJson.Serialize(Template));
        var labels = new Dictionary<string, string>(service.EffectiveLabels(), StringComparer.Ordinal);
        foreach (var (key, value) in extraLabels)
        {
            labels[key] = value;
        }

        deployment.Metadata ??= new V1ObjectMeta();
        deployment.Metadata.Name = service.Name;
        deployment.Metadata.NamespaceProperty = @namespace;
        deployment.Metadata.ResourceVersion = null;
        deployment.Metadata.Uid = null;
        deployment.Metadata.Labels = Merge(deployment.Metadata.Labels, labels);
        deployment.Spec.Replicas = service.Replicas;
        deployment.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ServiceConstants.ServiceLabel] = service.Name } };
        deployment.Spec.Template.Metadata ??= new V1ObjectMeta();
        deployment.Spec.Template.Metadata.Labels = Merge(deployment.Spec.Template.Metadata.Labels, labels);
        var container = deployment.Spec.Template.Spec.Containers[0];
        container.ReadinessProbe ??= new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = service.ReadinessPath, Port = Port },
            PeriodSeconds = 1,
            FailureThreshold = 1,
        };
        if (PreStopDelay is { } delay && container.Lifecycle?.PreStop is null)
        {
            var seconds = (long)Math.Ceiling(delay.TotalSeconds);
            container.Lifecycle ??= new V1Lifecycle();
            container.Lifecycle.PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)] } };

            // The pod's own grace period (a delete without one) must cover the delay and a graceful stop after it.
            var spec = deployment.Spec.Template.Spec;
            spec.TerminationGracePeriodSeconds = Math.Max(spec.TerminationGracePeriodSeconds ?? 30, seconds + 5);
        }

        var env = (container.Env ?? []).Where(e => !environment.ContainsKey(e.Name) && !Environment.ContainsKey(e.Name)).ToList();
        env.AddRange(Environment.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }));
        env.AddRange(environment.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }));
        container.Env = env;
        return deployment;
    }

    private static KubernetesRuntime FromDeployment(V1Deployment deployment, int? port, string subject)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var copy = KubernetesJson.Deserialize<V1Deployment>(KubernetesJson.Serialize(deployment));
        var containers = copy.Spec?.Template?.Spec?.Containers;
        if (containers is null || containers.Count == 0)
        {
            throw new ChaosValidationException(subject, ["Its pod template has no container."]);
        }

        var resolved = port ?? containers[0].Ports?.FirstOrDefault()?.ContainerPort;
        if (resolved is not { } p || p is < 1 or > 65535)
        {
            throw new ChaosValidationException(subject, ["No HTTP port: declare one on the first container (ports: [{containerPort: 8080}]) or pass port."]);
        }

        copy.Spec!.Selector ??= new V1LabelSelector();
        return new KubernetesRuntime(copy, p);
    }

    private static Dictionary<string, string> Merge(IDictionary<string, string>? existing, IReadOnlyDictionary<string, string> labels)
    {
        var merged = new Dictionary<string, string>(existing ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            merged[key] = value;
        }

        return merged;
    }
}
