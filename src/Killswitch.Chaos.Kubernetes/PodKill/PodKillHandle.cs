using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// PodKill on Kubernetes (Litmus pod-delete): deletes the chosen pods through the API, graceful (the pod's grace period
/// is <see cref="PodKillOptions.GracePeriod"/>) or forced (grace 0), and watches the controller's replacements. Proof:
/// every victim's UID is gone from the API, as many new pods (UIDs not seen before the kill) are Ready — the kubelet's
/// HTTP readiness probe passed on each — and the service answers through its endpoint. Recovery time: from the delete
/// until the last replacement was Ready, from watch events (never polling with sleeps).
/// </summary>
internal sealed class PodKillHandle(FaultInjection injection, KubernetesTarget target, ChaosJournal journal) : IFaultHandle
{
    private readonly Dictionary<string, (string Name, string Service)> _victims = new(StringComparer.Ordinal);
    private HashSet<string> _before = new(StringComparer.Ordinal);
    private PodWatch? _watch;
    private long _killedAt;
    private int _reverted;

    public FaultInjection Injection { get; } = injection;

    private PodKillOptions Options => (PodKillOptions)Injection.Fault;

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        var time = target.Options.TimeProvider;
        var services = Injection.Instances.Select(i => i.Service).Distinct(StringComparer.Ordinal).ToArray();
        var selector = $"{KubernetesTargetConstants.RunIdLabel}={target.RunId},{ServiceConstants.ServiceLabel} in ({string.Join(",", services)})";
        _watch = await PodWatch.StartAsync(target.Client, target.Namespace, selector, time, cancellationToken).ConfigureAwait(false);
        var live = _watch.Pods.Where(p => !p.IsTerminating()).ToArray();
        foreach (var group in Injection.Instances.GroupBy(i => i.Service, StringComparer.Ordinal))
        {
            var pods = live.Count(p => p.Metadata.Label(ServiceConstants.ServiceLabel) == group.Key);
            SafetyGuard.CheckPodKillShare(Injection, group.Key, group.Count(), pods, target.Options.MaxPodKillShare);
        }

        _before = _watch.Pods.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        var victims = new List<(V1Pod Pod, Instance Instance)>();
        foreach (var instance in Injection.Instances)
        {
            var pod = live.FirstOrDefault(p => p.Metadata.Name == instance.Id)
                ?? throw new ChaosTargetException($"Pod '{instance.Id}' is gone or terminating already, so fault '{Injection.Fault.DisplayName}' cannot delete it; instances are re-read before each injection, so this is a race with another actor.")
                {
                    Fault = Injection.Fault.DisplayName,
                    Target = KubernetesTargetConstants.Name,
                };
            victims.Add((pod, instance));
            _victims[pod.Metadata.Uid] = (pod.Metadata.Name, instance.Service);
        }

        journal.AddFault(new JournalFault(Injection.Id, Injection.Fault.Kind, [.. victims.Select(v => v.Pod.Metadata.Name)], "pods deleted; the controller replaces them, nothing to revert"));
        var grace = Options.Force ? 0L : (long)Math.Ceiling(Options.GracePeriod.TotalSeconds);
        _killedAt = time.GetTimestamp();
        foreach (var (pod, instance) in victims)
        {
            var killedAt = time.GetUtcNow();
            try
            {
                await target.Client.CoreV1.DeleteNamespacedPodAsync(
                    pod.Metadata.Name,
                    target.Namespace,
                    new V1DeleteOptions { GracePeriodSeconds = grace, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.IsNotFound() || ex.IsConflict())
            {
                throw new ChaosTargetException($"Pod '{pod.Metadata.Name}' disappeared before fault '{Injection.Fault.DisplayName}' could delete it.", ex)
                {
                    Fault = Injection.Fault.DisplayName,
                    Target = KubernetesTargetConstants.Name,
                };
            }

            Log.PodDeleted(target.Logger, pod.Metadata.Name, grace);
            Injection.Timeline.Record(ChaosEventNames.ReplicaKilled, pod.Metadata.Name, string.Create(CultureInfo.InvariantCulture, $"pod uid {pod.Metadata.Uid} on {pod.Spec.NodeName}, grace period {grace} s"));
            if (Options.OnPodKilled is { } callback)
            {
                await callback(new PodKilledArguments(instance, Options.Force, killedAt)).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var watch = _watch ?? throw new InvalidOperationException("InjectAsync first.");
        var time = target.Options.TimeProvider;
        var wanted = _victims.Values.GroupBy(v => v.Service, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var timeout = Options.ReplacementTimeout;

        var replaced = await watch.WaitAsync(pods => wanted.All(w => Replacements(pods, w.Key).Count >= w.Value), timeout, cancellationToken).ConfigureAwait(false);
        var recovery = time.GetElapsedTime(_killedAt);
        var replacements = wanted.Keys.SelectMany(s => Replacements(watch.Pods, s)).ToArray();
        if (!replaced)
        {
            return new FaultProof(false, string.Create(CultureInfo.InvariantCulture, $"Deleted {Victims}, but no Ready replacement for each within ReplacementTimeout ({timeout.TotalSeconds:0} s); Ready new pods: {Names(replacements)}. Is the workload managed by a controller (Deployment, StatefulSet) with room on the nodes?"));
        }

        foreach (var pod in replacements)
        {
            Injection.Timeline.Record(ChaosEventNames.ReplicaRestarted, pod.Metadata.Name, $"replacement Ready (uid {pod.Metadata.Uid})", recovery);
        }

        // Killed = the pod is gone, or every container of it has terminated: the kubelet may keep a dead pod's object in
        // the API for a minute on a busy node while it reclaims volumes and cgroups, with nothing left running. A node
        // may also be slow to report the containers' exit at all; from 2 s after the delete the kubelet is asked directly.
        var exited = new Dictionary<string, string>(StringComparer.Ordinal);
        var asked = new Dictionary<string, string>(StringComparer.Ordinal);
        IEnumerable<V1Pod> Lingering(IEnumerable<V1Pod> pods) => pods.Where(p =>
            _victims.ContainsKey(p.Metadata.Uid) && !watch.WasDeleted(p.Metadata.Uid) && !exited.ContainsKey(p.Metadata.Uid) && !ContainersExited(p));
        bool Gone(IReadOnlyList<V1Pod> pods) => !Lingering(pods).Any();
        var gone = Gone(watch.Pods);
        while (!gone)
        {
            var left = timeout - time.GetElapsedTime(_killedAt);
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            gone = await watch.WaitAsync(Gone, left < KubeletAskInterval ? left : KubeletAskInterval, cancellationToken).ConfigureAwait(false);
            if (!gone && time.GetElapsedTime(_killedAt) >= KubeletAskInterval)
            {
                await AskKubeletAsync(Lingering(watch.Pods), exited, asked, cancellationToken).ConfigureAwait(false);
                gone = Gone(watch.Pods);
            }
        }

        if (!gone)
        {
            var lingering = Lingering(watch.Pods).Select(p => asked.TryGetValue(p.Metadata.Uid, out var answer) ? $"{p.Metadata.Name} ({answer})" : p.Metadata.Name);
            return new FaultProof(false, $"Replacements {Names(replacements)} are Ready, but {string.Join(", ", lingering)} still exist(s) (terminating, containers not all exited) after ReplacementTimeout; the kill did not complete.", recovery);
        }

        var reclaiming = watch.Pods.Count(p => _victims.ContainsKey(p.Metadata.Uid));
        var unreported = exited.Count == 0
            ? string.Empty
            : "; " + string.Join("; ", exited.Select(e => $"{_victims[e.Key].Name}: exit not reported by the node, but {e.Value}"));

        var serving = await ServesAsync(wanted.Keys, cancellationToken).ConfigureAwait(false);
        return serving is null
            ? new FaultProof(true, string.Create(CultureInfo.InvariantCulture, $"Deleted {Victims} ({(Options.Force ? "forced" : "graceful")}); {(reclaiming == 0 ? "their UIDs are gone" : $"their containers have exited ({reclaiming} pod object(s) still being reclaimed by the kubelet{unreported})")}; replacement(s) {Names(replacements)} Ready {recovery.TotalSeconds:0.00} s after the delete, and the service answers."), recovery)
            : new FaultProof(false, $"Replacement(s) {Names(replacements)} are Ready, but {serving}", recovery);
    }

    /// <summary>
    /// Asks the kubelet whether each container of <paramref name="pods"/> still runs (<see cref="ContainerLiveness"/>);
    /// a pod whose containers all have exited goes into <paramref name="exited"/>, and every answer into <paramref name="asked"/>.
    /// </summary>
    private async Task AskKubeletAsync(IEnumerable<V1Pod> pods, Dictionary<string, string> exited, Dictionary<string, string> asked, CancellationToken cancellationToken)
    {
        foreach (var pod in pods.ToArray())
        {
            var answers = await Task.WhenAll(pod.Spec.Containers.Select(c => ContainerLiveness.AskAsync(target, pod.Metadata.Name, c.Name, cancellationToken))).ConfigureAwait(false);
            var detail = string.Join("; ", answers.Select(a => a.Detail));
            asked[pod.Metadata.Uid] = detail;
            if (answers.All(a => a.Exited == true))
            {
                exited[pod.Metadata.Uid] = detail;
            }
        }
    }

    /// <summary>How often the kubelet is asked about containers the node has not reported exited (from this long after the delete).</summary>
    private static readonly TimeSpan KubeletAskInterval = TimeSpan.FromSeconds(2);

    private static bool ContainersExited(V1Pod pod) =>
        pod.Status?.ContainerStatuses is { Count: > 0 } containers && containers.All(c => c.State?.Terminated is not null);

    public async ValueTask RevertAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reverted, 1) == 1)
        {
            return;
        }

        // Nothing to undo: the controller replaces deleted pods. Stop watching.
        if (_watch is not null)
        {
            await _watch.DisposeAsync().ConfigureAwait(false);
        }

        journal.RemoveFault(Injection.Id);
    }

    public ValueTask DisposeAsync() => RevertAsync();

    private string Victims => string.Join(", ", _victims.Select(v => $"{v.Value.Name} (uid {v.Key})"));

    private static string Names(IEnumerable<V1Pod> pods) => string.Join(", ", pods.Select(p => p.Metadata.Name).DefaultIfEmpty("(none)"));

    private List<V1Pod> Replacements(IReadOnlyList<V1Pod> pods, string service) =>
        [.. pods.Where(p => !_before.Contains(p.Metadata.Uid) && p.IsReady() && p.Metadata.Label(ServiceConstants.ServiceLabel) == service)];

    /// <summary>Null when every service answers its readiness path through its endpoint; otherwise what failed.</summary>
    private async Task<string?> ServesAsync(IEnumerable<string> services, CancellationToken cancellationToken)
    {
        foreach (var service in services)
        {
            var uri = new Uri(target.GetEndpoint(service), target.ServiceOf(service).ReadinessPath);
            string? failure = null;
            var ok = await Waits.UntilAsync(
                async ct =>
                {
                    try
                    {
                        using var response = await target.Http.GetAsync(uri, ct).ConfigureAwait(false);
                        failure = $"{uri} answered {(int)response.StatusCode}.";
                        return response.IsSuccessStatusCode;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        failure = $"{uri} did not answer: {ex.Message}";
                        return false;
                    }
                },
                TimeSpan.FromMilliseconds(200),
                TimeSpan.FromSeconds(10),
                target.Options.TimeProvider,
                cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                return failure;
            }
        }

        return null;
    }
}
