using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// Latency, Blackhole and Bandwidth on Kubernetes: one <see cref="HelperPod"/> per selected pod runs the Killswitch
/// network agent inside that pod's network namespace, on the service's port — netem where the kernel has it, otherwise
/// the chaos core's TCP proxy behind an iptables REDIRECT (the agent chooses and reports which). Only the selected pods'
/// inbound traffic is affected; with <see cref="NetworkFaultOptions.From"/>, only connections from the calling service's
/// pods. Proof: the agents' own counters (connections and bytes that crossed the fault, the shortest hold for latency).
/// </summary>
internal sealed class NetworkFaultHandle(FaultInjection injection, KubernetesTarget target, ChaosJournal journal) : IFaultHandle
{
    private readonly string _attempt = Guid.NewGuid().ToString("N")[..8];
    private readonly List<(string Helper, string Pod)> _helpers = [];
    private readonly Dictionary<string, string> _mechanisms = new(StringComparer.Ordinal);
    private readonly List<string> _marked = [];
    private int _reverted;

    public FaultInjection Injection { get; } = injection;

    /// <summary>The mechanism each helper reported (<c>netem</c>, <c>nfqueue</c> or <c>proxy</c>), by target pod.</summary>
    public IReadOnlyDictionary<string, string> Mechanisms => _mechanisms;

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InjectCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Half-injected (a helper failed): take out the helpers that did start before reporting the failure.
            await RevertAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task InjectCoreAsync(CancellationToken cancellationToken)
    {
        var fault = (NetworkFaultOptions)Injection.Fault;
        var client = target.Client;
        string[] sources = [];
        if (fault.From is { } from)
        {
            _ = target.ServiceOf(from);
            var callers = await client.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: $"{KubernetesTargetConstants.RunIdLabel}={target.RunId},{ServiceConstants.ServiceLabel}={from}", cancellationToken: cancellationToken).ConfigureAwait(false);
            sources = [.. callers.Items.Where(p => !p.IsTerminating() && !string.IsNullOrEmpty(p.Status?.PodIP)).Select(p => p.Status.PodIP)];
            if (sources.Length == 0)
            {
                throw new ChaosTargetException($"Fault '{fault.DisplayName}' has From = '{from}', but no pod of '{from}' is running to take source addresses from.") { Fault = fault.DisplayName, Target = KubernetesTargetConstants.Name };
            }
        }

        var lifetime = fault.Duration is { } duration ? duration + fault.StartAfter + TimeSpan.FromMinutes(1) : target.Options.MaxFaultLifetime;
        if (lifetime > target.Options.MaxFaultLifetime)
        {
            lifetime = target.Options.MaxFaultLifetime;
        }

        foreach (var instance in Injection.Instances)
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync(instance.Id, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var port = target.ServiceOf(instance.Service).GetRuntime<KubernetesRuntime>()!.Port;
            var name = HelperPod.NameFor(Injection.Id, pod.Metadata.Name, _attempt);
            var arguments = AgentArguments(Injection.Id, fault, port, sources, Injection.Random);
            journal.AddResource(new JournalResource("helper:" + name, KubernetesTargetConstants.HelperPodResource, Detail: $"{target.Context}|{target.Namespace}|{name}"));
            journal.AddFault(new JournalFault($"{Injection.Id}:{pod.Metadata.Name}", fault.Kind, [pod.Metadata.Name], $"helper pod {target.Namespace}/{name} (agent tag {Injection.Id})"));

            // Marked before the helper exists: whatever the helper and this process go through, the pod that gets the
            // rules says whose they are, and a later sweep can take them out.
            await FaultMark.SetAsync(client, target.Namespace, pod.Metadata.Name, Injection.Id, FaultMark.Value(Owner.Current, target.RunId, name, FaultMark.Pending), cancellationToken).ConfigureAwait(false);
            _marked.Add(pod.Metadata.Name);
            await client.CoreV1.CreateNamespacedPodAsync(HelperPod.Render(name, target.Namespace, pod, arguments, Injection.Id, target, lifetime), target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            _helpers.Add((name, pod.Metadata.Name));
        }

        foreach (var (helper, pod) in _helpers)
        {
            var ready = await WaitReadyAsync(helper, cancellationToken).ConfigureAwait(false);
            var mechanism = ready["mechanism"]?.GetValue<string>() ?? "unknown";
            _mechanisms[pod] = mechanism;
            await FaultMark.SetAsync(client, target.Namespace, pod, Injection.Id, FaultMark.Value(Owner.Current, target.RunId, helper, mechanism), cancellationToken).ConfigureAwait(false);
            Log.HelperReady(target.Logger, helper, fault.DisplayName, mechanism);
            var why = ready["netemUnavailable"]?.ToString() is { Length: > 0 } reason ? $" (netem unavailable: {reason})" : string.Empty;
            Injection.Timeline.Record(KubernetesEventNames.HelperReady, pod, $"{fault.Kind} in force in pod {pod} via {mechanism}{why}, helper {helper}");
        }
    }

    public async ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var fault = Injection.Fault;
        var evidence = new List<string>();
        var missing = new List<string>();
        foreach (var (helper, pod) in _helpers)
        {
            var events = await HelperPod.ReadEventsAsync(target.Client, helper, target.Namespace, cancellationToken).ConfigureAwait(false);
            var stats = events.LastOrDefault(e => HelperPod.EventName(e) == "stats");
            var hits = stats?["hits"]?.GetValue<long>() ?? 0;
            var mechanism = _mechanisms.GetValueOrDefault(pod, "unknown");
            if (hits == 0 || stats is null)
            {
                missing.Add(pod);
                continue;
            }

            evidence.Add(fault switch
            {
                LatencyOptions latency => Latency(pod, mechanism, stats, latency),
                BlackholeOptions => $"{pod} ({mechanism}): {stats["bytesSwallowed"]} byte(s) swallowed",
                BandwidthOptions bandwidth => $"{pod} ({mechanism}): {stats["bytesThrottled"]} byte(s) paced at {bandwidth.BytesPerSecond} B/s",
                _ => $"{pod} ({mechanism}): {hits} hit(s)",
            });
        }

        if (missing.Count > 0)
        {
            return new FaultProof(false, $"No traffic into {string.Join(", ", missing)} crossed the fault while it was in force, so it never took effect there. Send the workload to the affected pods (through the service, or set From to the edge the workload uses). {string.Join("; ", evidence)}");
        }

        var failed = evidence.Where(e => e.StartsWith('!')).ToArray();
        return failed.Length > 0
            ? new FaultProof(false, string.Join("; ", failed.Select(f => f[1..])))
            : new FaultProof(true, string.Join("; ", evidence) + ".");

        static string Latency(string pod, string mechanism, JsonObject stats, LatencyOptions latency)
        {
            var floor = (latency.Latency - latency.Jitter).TotalMilliseconds;
            var held = stats["minHeldMs"]?.GetValue<double>();
            if (mechanism == "netem")
            {
                return $"{pod} (netem): {stats["hits"]} packet(s) through the netem qdisc";
            }

            return held is { } h && h >= floor - 0.5
                ? string.Create(CultureInfo.InvariantCulture, $"{pod} ({mechanism}): {stats["hits"]} {(mechanism == "nfqueue" ? "packet(s)" : "chunk(s)")} over {stats["connections"]} connection(s) held at least {h:0.0} ms (injected {latency.Latency.TotalMilliseconds:0} ms ± {latency.Jitter.TotalMilliseconds:0} ms)")
                : string.Create(CultureInfo.InvariantCulture, $"!{pod} ({mechanism}): traffic was held only {held ?? 0:0.0} ms, less than {floor:0} ms");
        }
    }

    public async ValueTask RevertAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reverted, 1) == 1)
        {
            return;
        }

        var failures = new List<string>();
        var helpers = _helpers.ToDictionary(h => h.Pod, h => h.Helper, StringComparer.Ordinal);
        foreach (var pod in _marked)
        {
            try
            {
                var helper = helpers.GetValueOrDefault(pod);
                var problem = helper is null
                    ? "its helper pod was never created"
                    : await HelperPod.StopAsync(target.Client, helper, target.Namespace, target.Options.HelperTimeout, target.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
                if (problem is not null && helper is not null)
                {
                    // The agent did not say it reverted (killed, or too slow to say): take its rules out from outside.
                    await SweepAsync(pod, problem, cancellationToken).ConfigureAwait(false);
                }

                await FaultMark.ClearAsync(target.Client, target.Namespace, pod, Injection.Id, cancellationToken).ConfigureAwait(false);
                journal.RemoveFault($"{Injection.Id}:{pod}");
                if (helper is not null)
                {
                    journal.RemoveResource("helper:" + helper);
                }
            }
            catch (ChaosTargetException ex)
            {
                failures.Add(ex.Message);
            }
        }

        if (failures.Count > 0)
        {
            throw new ChaosTargetException(string.Join(" ", failures)) { Fault = Injection.Fault.DisplayName, Target = KubernetesTargetConstants.Name };
        }
    }

    private async Task SweepAsync(string pod, string problem, CancellationToken cancellationToken)
    {
        V1Pod current;
        try
        {
            current = await target.Client.CoreV1.ReadNamespacedPodAsync(pod, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            return; // The pod and its network namespace are gone, rules and all.
        }

        if (current.IsTerminating())
        {
            return;
        }

        var swept = await HelperPod.SweepRulesAsync(target, current, Injection.Id, _mechanisms.GetValueOrDefault(pod, FaultMark.Pending), cancellationToken).ConfigureAwait(false);
        Injection.Timeline.Record(KubernetesEventNames.RulesSwept, pod, $"{problem}: a sweep pod removed {swept["rules"]} rule(s) of {Injection.Id} from pod {pod}");
    }

    public ValueTask DisposeAsync() => RevertAsync();

    internal static List<string> AgentArguments(string tag, NetworkFaultOptions fault, int port, IReadOnlyList<string> sources, Random random)
    {
        int seed;
        lock (random)
        {
            seed = random.Next();
        }

        List<string> args = ["killswitch-agent", "inject", "--tag", tag, "--port", port.ToString(CultureInfo.InvariantCulture)];
        switch (fault)
        {
            case LatencyOptions latency:
                args.AddRange(["--fault", "latency", "--latency-ms", HelperPod.Ms(latency.Latency), "--jitter-ms", HelperPod.Ms(latency.Jitter), "--direction", Direction(latency.Direction)]);
                break;
            case BlackholeOptions blackhole:
                args.AddRange(["--fault", "blackhole"]);
                if (blackhole.CloseAfter is { } closeAfter)
                {
                    args.AddRange(["--close-after-ms", HelperPod.Ms(closeAfter)]);
                }

                break;
            case BandwidthOptions bandwidth:
                args.AddRange(["--fault", "bandwidth", "--bytes-per-second", bandwidth.BytesPerSecond.ToString(CultureInfo.InvariantCulture), "--direction", Direction(bandwidth.Direction)]);
                break;
        }

        if (sources.Count > 0)
        {
            args.AddRange(["--from", string.Join(",", sources)]);
        }

        args.AddRange(["--seed", seed.ToString(CultureInfo.InvariantCulture)]);
        return args;

        static string Direction(TrafficDirection direction) => direction switch
        {
            TrafficDirection.Upstream => "upstream",
            TrafficDirection.Both => "both",
            _ => "downstream",
        };
    }

    private async Task<JsonObject> WaitReadyAsync(string helper, CancellationToken cancellationToken)
    {
        var time = target.Options.TimeProvider;
        JsonObject? ready = null;
        string? failure = null;
        var ok = await Waits.UntilAsync(
            async ct =>
            {
                var events = await HelperPod.ReadEventsAsync(target.Client, helper, target.Namespace, ct).ConfigureAwait(false);
                ready = events.FirstOrDefault(e => HelperPod.EventName(e) == "ready");
                if (ready is not null)
                {
                    return true;
                }

                if (events.FirstOrDefault(e => HelperPod.EventName(e) == "error") is { } error)
                {
                    failure = error["message"]?.ToString();
                    return true;
                }

                var pod = await target.Client.CoreV1.ReadNamespacedPodAsync(helper, target.Namespace, cancellationToken: ct).ConfigureAwait(false);
                var waiting = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
                if (waiting?.Reason is "ErrImageNeverPull" or "ErrImagePull" or "ImagePullBackOff" or "InvalidImageName" or "CreateContainerConfigError")
                {
                    failure = $"its image {target.Options.HelperImage} cannot be used ({waiting.Reason}: {waiting.Message}). Build it with build/images/tools.sh (kind: the Kind provider loads it), or set KubernetesTargetOptions.HelperImage to an image your nodes can pull.";
                    return true;
                }

                if (pod.Status?.Phase is "Failed" or "Succeeded")
                {
                    failure = $"it ended ({pod.Status.Phase}) before putting the fault in force: {pod.Status.Message ?? pod.Status.Reason}";
                    return true;
                }

                return false;
            },
            TimeSpan.FromMilliseconds(250),
            target.Options.HelperTimeout,
            time,
            cancellationToken).ConfigureAwait(false);

        if (ready is not null)
        {
            return ready;
        }

        throw new ChaosTargetException(
            (ok ? $"Helper pod {target.Namespace}/{helper} failed: {failure}" : string.Create(CultureInfo.InvariantCulture, $"Helper pod {target.Namespace}/{helper} did not report the fault in force within HelperTimeout ({target.Options.HelperTimeout.TotalSeconds:0} s)")) +
            " The helper needs a pod with hostPID and the capabilities NET_ADMIN, NET_RAW, SYS_ADMIN and SYS_PTRACE on the target's node (see the Role and Pod Security notes in docs/targets/kubernetes.md).")
        {
            Fault = Injection.Fault.DisplayName,
            Target = KubernetesTargetConstants.Name,
        };
    }
}
