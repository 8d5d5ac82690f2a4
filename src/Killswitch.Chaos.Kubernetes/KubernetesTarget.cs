using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// Runs the system under test in a Kubernetes cluster: one Deployment and one Service per service, in a namespace of
/// the session's own (or an allow-listed one you name). PodKill deletes pods through the API and watches the
/// controller's replacement become Ready; Latency, Blackhole and Bandwidth run in a helper pod (hostPID, network capabilities) on the target
/// pod's node that enters the pod's network namespace (as Litmus does), whatever the container runtime.
/// </summary>
/// <remarks>
/// Safety: the kube context and namespace must match allow-lists before anything is created; a PodKill may delete at
/// most <see cref="KubernetesTargetOptions.MaxPodKillShare"/> of a workload's pods; <see cref="KubernetesTargetOptions.DryRun"/>
/// lists what would be hit. Clean-up: dispose reverts faults and deletes what the session created; everything created
/// carries the run id and an owner annotation, so the next session's sweep reverts what a killed one left behind; each
/// helper pod also has an activeDeadlineSeconds, so the cluster ends a fault nobody reverts.
/// </remarks>
public sealed class KubernetesTarget : ChaosTargetBase
{
    private readonly SystemUnderTest _system;
    private readonly KubernetesTargetOptions _options;
    private readonly Dictionary<string, Uri> _endpoints = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private readonly IReadOnlyList<IAsyncDisposable> _owned;
    private ClusterConnection? _connection;
    private k8s.Kubernetes? _client;

    /// <summary>The client's outermost handler: a way to send a request the client has no method for (TLS and client certificate included).</summary>
    private readonly ApiPipeline _api = new();
    private readonly string _namespace;
    private bool _ownsNamespace;
    private bool _helperImageLoaded;

    /// <summary>Creates the target; nothing touches the cluster until <see cref="ChaosTargetBase.StartAsync"/>.</summary>
    /// <exception cref="ChaosValidationException">The options are invalid, or a service has no <see cref="KubernetesRuntime"/>.</exception>
    public KubernetesTarget(SystemUnderTest system, KubernetesTargetOptions options)
        : this(system, options, [])
    {
    }

    /// <summary>Creates the target, owning <paramref name="owned"/> (disposed with it: the factory's relays).</summary>
    internal KubernetesTarget(SystemUnderTest system, KubernetesTargetOptions options, IReadOnlyList<IAsyncDisposable> owned)
        : this(system, Validated(options), owned, Guid.NewGuid().ToString("N")[..8])
    {
    }

    private KubernetesTarget(SystemUnderTest system, KubernetesTargetOptions options, IReadOnlyList<IAsyncDisposable> owned, string id)
        : base(
            string.Create(CultureInfo.InvariantCulture, $"ks-{DateTime.UtcNow:yyyyMMddHHmmss}-{id}"),
            options.JournalDirectory,
            options.LoggerFactory?.CreateLogger<KubernetesTarget>() ?? NullLogger<KubernetesTarget>.Instance)
    {
        ArgumentNullException.ThrowIfNull(system);
        var missing = system.Services.Where(s => s.GetRuntime<KubernetesRuntime>() is null)
            .Select(s => $"Service '{s.Name}' has no KubernetesRuntime; add one with AddRuntime(KubernetesRuntime.FromImage(\"image:tag\", port)) or KubernetesRuntime.FromManifest(\"k8s/{s.Name}.yaml\").")
            .ToArray();
        if (missing.Length > 0)
        {
            throw new ChaosValidationException("The system under test for the Kubernetes target", missing) { Target = KubernetesTargetConstants.Name };
        }

        _system = system;
        _options = options;
        _owned = owned;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        _namespace = options.Namespace ?? KubernetesTargetConstants.NamespacePrefix + id;
    }

    /// <inheritdoc />
    public override string Name => KubernetesTargetConstants.Name;

    /// <summary>The namespace the services run in.</summary>
    public string Namespace => _namespace;

    /// <summary>The kube context in use (after <see cref="ChaosTargetBase.StartAsync"/>).</summary>
    public string? Context => _connection?.Context;

    /// <summary>The API client (after <see cref="ChaosTargetBase.StartAsync"/>), for tests and advanced use.</summary>
    public IKubernetes Client => _client ?? throw new InvalidOperationException("Call StartAsync first.");

    internal KubernetesTargetOptions Options => _options;

    /// <summary>Where the target logs (for its fault handles and sweeper).</summary>
    internal new ILogger Logger => base.Logger;

    internal HttpClient Http => _http;

    /// <summary>Sends <paramref name="request"/> (a path under the API server's base address) through the client's own pipeline.</summary>
    internal async Task<HttpResponseMessage> SendToApiAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException("Call StartAsync first.");
        request.RequestUri = new Uri(client.BaseUri, request.RequestUri!.OriginalString);
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var invoker = new HttpMessageInvoker(_api, disposeHandler: false);
        return await invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A pass-through handler put in front of the client's pipeline, so <see cref="SendToApiAsync"/> can use it.</summary>
    private sealed class ApiPipeline : DelegatingHandler;

    /// <inheritdoc />
    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await SweepAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task StartCoreAsync(ChaosJournal journal, CancellationToken cancellationToken)
    {
        await PrepareNamespaceAsync(journal, cancellationToken).ConfigureAwait(false);
        await DeployAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<Instance>> GetInstancesAsync(CancellationToken cancellationToken = default)
    {
        var pods = await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: WorkloadSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. pods.Items.Where(p => !p.IsTerminating()).Select(ToInstance)];
    }

    /// <inheritdoc />
    public override Uri GetEndpoint(string service) =>
        _endpoints.TryGetValue(service, out var endpoint)
            ? endpoint
            : throw new ChaosTargetException($"No service '{service}'. Services: {string.Join(", ", _system.Services.Select(s => s.Name))}.") { Target = Name };

    /// <inheritdoc />
    public override bool Supports(FaultOptions fault, out string? reason)
    {
        reason = fault switch
        {
            PodKillOptions or LatencyOptions or BlackholeOptions or BandwidthOptions => null,
            ResetPeerOptions => "ResetPeer needs a proxy on the caller's side of every connection; on Kubernetes use Blackhole (with CloseAfter) or PodKill",
            _ => $"the Kubernetes target supports PodKill, Latency, Blackhole and Bandwidth, not {fault.GetType().Name}",
        };
        return reason is null;
    }

    /// <inheritdoc />
    public override async ValueTask<IFaultHandle> InjectAsync(FaultInjection injection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(injection);
        var journal = SessionJournal ?? throw new InvalidOperationException("Call StartAsync before InjectAsync.");
        if (!Supports(injection.Fault, out var reason))
        {
            throw new ChaosTargetException($"Fault '{injection.Fault.DisplayName}' cannot be injected: {reason}.") { Fault = injection.Fault.DisplayName, Target = Name };
        }

        using var activity = KubernetesDiagnostics.ActivitySource.StartActivity("Chaos.Kubernetes.Inject");
        activity?.SetTag("chaos.fault", injection.Fault.Kind);
        IFaultHandle handle;
        if (_options.DryRun)
        {
            var dryRun = new DryRunHandle(injection, this);
            dryRun.Inject();
            handle = dryRun;
        }
        else if (injection.Fault is PodKillOptions)
        {
            var podKill = new PodKillHandle(injection, this, journal);
            Track(podKill);
            await podKill.InjectAsync(cancellationToken).ConfigureAwait(false);
            handle = podKill;
        }
        else
        {
            if (!_helperImageLoaded)
            {
                await _options.Cluster!.LoadImagesAsync([_options.HelperImage], cancellationToken).ConfigureAwait(false);
                _helperImageLoaded = true;
            }

            var network = new NetworkFaultHandle(injection, this, journal);
            Track(network);
            await network.InjectAsync(cancellationToken).ConfigureAwait(false);
            handle = network;
        }

        return handle;
    }

    /// <summary>
    /// Sets (or, with a null value, removes) environment variables of a service's containers through its Deployment and
    /// waits until the rollout has replaced every pod: how a flag variant delivered as environment variables
    /// (Killswitch.Flags.Delivery's <c>EnvironmentVariableDelivery</c>) reaches the pods. Read-modify-replace, retried
    /// on a conflict, so it works on every Kubernetes version.
    /// </summary>
    /// <exception cref="ChaosTargetException">The rollout did not finish within <see cref="KubernetesTargetOptions.RolloutTimeout"/>.</exception>
    public async Task SetEnvironmentAsync(string service, IReadOnlyDictionary<string, string?> variables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variables);
        _ = GetEndpoint(service);
        for (var attempt = 1; ; attempt++)
        {
            var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync(service, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var container in deployment.Spec.Template.Spec.Containers)
            {
                var env = (container.Env ?? []).Where(e => !variables.ContainsKey(e.Name)).ToList();
                env.AddRange(variables.Where(v => v.Value is not null).Select(v => new V1EnvVar { Name = v.Key, Value = v.Value }));
                container.Env = env;
            }

            try
            {
                await Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, service, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (HttpOperationException ex) when (ex.IsConflict() && attempt < 5)
            {
                // The controller updated the status meanwhile: read again and reapply.
            }
        }

        await Deployer.WaitForRolloutAsync(Client, Namespace, service, _options.RolloutTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reverts what dead sessions left: helper pods (their agents take their rules out of the target pods as they stop)
    /// and namespaces whose owner annotation names a dead process on this host, and whatever the journals of dead owners
    /// on this host recorded for this cluster. Live sessions (parallel test runs) are left alone.
    /// </summary>
    public override async ValueTask<SweepReport> SweepAsync(CancellationToken cancellationToken = default)
    {
        if (_client is null)
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }

        return await Sweeper.SweepAsync(this, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask ReleaseAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }

        _client?.Dispose();
        _http.Dispose();
    }

    internal string WorkloadSelector => $"{KubernetesTargetConstants.RunIdLabel}={RunId},{ServiceConstants.ServiceLabel}";

    internal ServiceDefinition ServiceOf(string name) => _system[name];

    internal Instance ToInstance(V1Pod pod)
    {
        var labels = pod.Metadata.Labels?.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var service = labels.TryGetValue(ServiceConstants.ServiceLabel, out var s) ? s : string.Empty;
        var port = _system.Services.FirstOrDefault(x => x.Name == service)?.GetRuntime<KubernetesRuntime>()?.Port ?? 80;
        var state = pod.IsTerminating() || pod.Status?.Phase is "Succeeded" or "Failed"
            ? InstanceState.Terminated
            : pod.IsReady() ? InstanceState.Ready : InstanceState.Starting;
        var address = string.IsNullOrEmpty(pod.Status?.PodIP) ? "0.0.0.0" : pod.Status.PodIP;
        return new Instance(pod.Metadata.Name, service, labels, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{address}:{port}/")), state);
    }

    internal async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is not null)
        {
            return;
        }

        var connection = await _options.Cluster!.ConnectAsync(cancellationToken).ConfigureAwait(false);
        SafetyGuard.CheckContext(connection.Context, connection.Source, _options.AllowedContexts);
        SafetyGuard.CheckNamespace(Namespace, _options.AllowedNamespaces);
        _connection = connection;
        _client = new k8s.Kubernetes(connection.Configuration, _api);
        Log.Connected(Logger, RunId, connection.Context, connection.Source, Namespace);
    }

    private async Task PrepareNamespaceAsync(ChaosJournal journal, CancellationToken cancellationToken)
    {
        if (_options.Namespace is not null)
        {
            try
            {
                await Client.CoreV1.ReadNamespaceAsync(Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.IsNotFound())
            {
                throw new ChaosTargetException($"Namespace '{Namespace}' does not exist in context '{Context}'. Create it (kubectl create namespace {Namespace}) or leave KubernetesTargetOptions.Namespace unset.") { Target = Name };
            }

            return;
        }

        journal.AddResource(new JournalResource("namespace:" + Namespace, KubernetesTargetConstants.NamespaceResource, Detail: $"{Context}|{Namespace}"));
        _ownsNamespace = true;
        var ns = new V1Namespace
        {
            Metadata = new V1ObjectMeta
            {
                Name = Namespace,
                Labels = Labels(),
                Annotations = new Dictionary<string, string> { [KubernetesTargetConstants.OwnerAnnotation] = Owner.Current },
            },
        };
        await Client.CoreV1.CreateNamespaceAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);

        // Pods are refused until the namespace's default service account exists (and, before 1.24, its token secret):
        // wait for both here rather than let the ReplicaSet controller back off and slow the rollout down.
        var version = await Client.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
        var needsTokenSecret = int.TryParse(new string((version.Minor ?? string.Empty).TakeWhile(char.IsAsciiDigit).ToArray()), NumberStyles.None, CultureInfo.InvariantCulture, out var minor) && minor < 24 && version.Major == "1";
        var ready = await Waits.UntilAsync(
            async ct =>
            {
                try
                {
                    var account = await Client.CoreV1.ReadNamespacedServiceAccountAsync("default", Namespace, cancellationToken: ct).ConfigureAwait(false);
                    return !needsTokenSecret || account.Secrets?.Count > 0;
                }
                catch (HttpOperationException ex) when (ex.IsNotFound())
                {
                    return false;
                }
            },
            TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(60),
            _options.TimeProvider,
            cancellationToken).ConfigureAwait(false);
        if (!ready)
        {
            throw new ChaosTargetException($"Namespace {Namespace} got no default service account within 60 s: is kube-controller-manager running?") { Target = Name };
        }
    }

    private async Task DeployAsync(CancellationToken cancellationToken)
    {
        var images = _system.Services.SelectMany(s => s.GetRuntime<KubernetesRuntime>()!.Template.Spec.Template.Spec.Containers.Select(c => c.Image)).ToArray();
        await _options.Cluster!.LoadImagesAsync(images, cancellationToken).ConfigureAwait(false);

        var services = new Dictionary<string, V1Service>(StringComparer.Ordinal);
        foreach (var service in _system.Services)
        {
            var runtime = service.GetRuntime<KubernetesRuntime>()!;
            services[service.Name] = await Deployer.ApplyServiceAsync(Client, RenderService(service, runtime), cancellationToken).ConfigureAwait(false);
        }

        foreach (var service in _system.Services)
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["KILLSWITCH_RUN_ID"] = RunId };
            foreach (var dependency in service.Dependencies)
            {
                // By ClusterIP, not DNS name: clusters without DNS (the CI cluster) resolve nothing; every cluster routes ClusterIPs.
                environment[dependency.EnvironmentVariable] = $"http://{services[dependency.Service].Spec.ClusterIP}";
            }

            var deployment = service.GetRuntime<KubernetesRuntime>()!.Render(service, Namespace, Labels(), environment);
            await Deployer.ApplyDeploymentAsync(Client, deployment, cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(_system.Services.Select(async s =>
        {
            await Deployer.WaitForRolloutAsync(Client, Namespace, s.Name, _options.RolloutTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            Log.RolledOut(Logger, Namespace, s.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        })).ConfigureAwait(false);

        foreach (var (name, service) in services)
        {
            _endpoints[name] = await EndpointOfAsync(service, cancellationToken).ConfigureAwait(false);
        }

        // Ready pods are not yet a reachable Service: kube-proxy programs the new endpoints a moment later. Start returns
        // once every service answers its readiness path through the endpoint the tests use.
        foreach (var service in _system.Services)
        {
            var uri = new Uri(_endpoints[service.Name], service.ReadinessPath);
            var answered = await Waits.UntilAsync(
                async ct =>
                {
                    try
                    {
                        using var response = await _http.GetAsync(uri, ct).ConfigureAwait(false);
                        return response.IsSuccessStatusCode;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromMilliseconds(100),
                _options.RolloutTimeout,
                _options.TimeProvider,
                cancellationToken).ConfigureAwait(false);
            if (!answered)
            {
                throw new ChaosTargetException(
                    $"Service '{service.Name}' rolled out but {uri} does not answer from this host. With EndpointMode.{_options.EndpointMode} the test host must route to " +
                    (_options.EndpointMode == EndpointMode.ClusterIP ? "the service network (it does on a cluster node; with kind use EndpointMode.NodePort)." : "the node's InternalIP (Docker Desktop needs kind extraPortMappings).") +
                    " See docs/targets/kubernetes.md#endpoints.")
                { Target = Name };
            }
        }
    }

    private V1Service RenderService(ServiceDefinition service, KubernetesRuntime runtime) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = service.Name, NamespaceProperty = Namespace, Labels = Labels() },
        Spec = new V1ServiceSpec
        {
            Type = _options.EndpointMode == EndpointMode.NodePort ? "NodePort" : "ClusterIP",
            Selector = new Dictionary<string, string> { [ServiceConstants.ServiceLabel] = service.Name },
            Ports = [new V1ServicePort { Port = 80, Name = "http", Protocol = "TCP", TargetPort = runtime.Port }],
        },
    };

    private async Task<Uri> EndpointOfAsync(V1Service service, CancellationToken cancellationToken)
    {
        if (_options.EndpointMode == EndpointMode.ClusterIP)
        {
            return new Uri($"http://{service.Spec.ClusterIP}/");
        }

        var nodes = await Client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var address = nodes.Items.SelectMany(n => n.Status?.Addresses ?? []).FirstOrDefault(a => a.Type == "InternalIP")?.Address
            ?? throw new ChaosTargetException("EndpointMode is NodePort but no node reports an InternalIP address.") { Target = Name };
        var nodePort = service.Spec.Ports[0].NodePort ?? throw new ChaosTargetException($"Service {service.Metadata.Name} got no NodePort.") { Target = Name };
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{address}:{nodePort}/"));
    }

    internal Dictionary<string, string> Labels() => new(StringComparer.Ordinal)
    {
        [KubernetesTargetConstants.ManagedByLabel] = KubernetesTargetConstants.ManagedByValue,
        [KubernetesTargetConstants.RunIdLabel] = RunId,
    };

    /// <inheritdoc />
    protected override async Task StopCoreAsync()
    {
        if (_client is not null && SessionJournal is not null)
        {
            if (_ownsNamespace)
            {
                await TryAsync("namespace " + Namespace, async () =>
                {
                    try
                    {
                        await _client.CoreV1.DeleteNamespaceAsync(Namespace, new V1DeleteOptions { PropagationPolicy = "Background" }).ConfigureAwait(false);
                    }
                    catch (HttpOperationException ex) when (ex.IsNotFound())
                    {
                        // Never created, or already gone.
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                foreach (var service in _system.Services)
                {
                    await TryAsync("deployment " + service.Name, () => DeleteIgnoringNotFound(() => _client.AppsV1.DeleteNamespacedDeploymentAsync(service.Name, Namespace, new V1DeleteOptions { PropagationPolicy = "Foreground" }))).ConfigureAwait(false);
                    await TryAsync("service " + service.Name, () => DeleteIgnoringNotFound(() => _client.CoreV1.DeleteNamespacedServiceAsync(service.Name, Namespace))).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task DeleteIgnoringNotFound<T>(Func<Task<T>> delete)
    {
        try
        {
            await delete().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            // Already gone.
        }
    }

    private static KubernetesTargetOptions Validated(KubernetesTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}
