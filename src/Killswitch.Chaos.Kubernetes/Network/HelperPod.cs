using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// The pod that acts inside a target pod's network namespace, as Litmus' helper does, whatever the
/// container runtime (containerd in kind, the dockershim in our CI): it is pinned to the target's node, shares the
/// host's PID namespace, finds a process of the target pod through <c>/proc/*/cgroup</c> (the cgroup path holds the pod
/// UID, with '-' or '_'), and runs the Killswitch network agent (<c>killswitch-agent</c>, src/Killswitch.Chaos.Agent)
/// under <c>nsenter --net</c>. Deleting the pod sends the agent SIGTERM: it takes its rules out and exits.
/// </summary>
internal static class HelperPod
{
    /// <summary>
    /// Finds the target pod's process and runs the rest of the arguments in its network namespace. A process whose
    /// network namespace is the helper's own is skipped (it would be the helper itself).
    /// </summary>
    internal const string Script = """
        set -u
        uid="$KILLSWITCH_TARGET_POD_UID"
        self_net="$(readlink /proc/self/ns/net)"
        pid=""
        for dir in /proc/[0-9]*; do
          grep -qE "pod(${uid}|${uid//-/_})" "$dir/cgroup" 2>/dev/null || continue
          net="$(readlink "$dir/ns/net" 2>/dev/null)" || continue
          if [ "$net" != "$self_net" ]; then pid="${dir#/proc/}"; break; fi
        done
        if [ -z "$pid" ]; then
          echo "{\"event\":\"error\",\"message\":\"no process of pod uid $uid found in /proc on this node (is hostPID allowed for the helper pod?)\"}"
          exit 3
        fi
        echo "{\"event\":\"found\",\"pid\":$pid}"
        exec nsenter --target "$pid" --net -- "$@"
        """;

    /// <summary>
    /// The helper pod's name: readable (fault and target pod) and unique per <paramref name="attempt"/>. Fault ids repeat
    /// from one test case to the next (<c>latency-1-1</c>), and revert does not wait for the previous helper pod to be
    /// gone from the API, so a name without the attempt would collide with a pod still being deleted (409 AlreadyExists).
    /// </summary>
    public static string NameFor(string injectionId, string podName, string attempt = "")
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(injectionId + "/" + podName + "/" + attempt)))[..8].ToLowerInvariant();
        var stem = $"ks-{injectionId}-{podName}";
        stem = stem.Length > 50 ? stem[..50] : stem;
        return $"{stem.TrimEnd('-')}-{hash}";
    }

    public static V1Pod Render(string name, string @namespace, V1Pod targetPod, IReadOnlyList<string> agentArguments, string injectionId, KubernetesTarget target, TimeSpan lifetime, string role = KubernetesTargetConstants.HelperRole)
    {
        var labels = target.Labels();
        labels[KubernetesTargetConstants.RoleLabel] = role;
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = @namespace,
                Labels = labels,
                Annotations = new Dictionary<string, string>
                {
                    [KubernetesTargetConstants.OwnerAnnotation] = Owner.Current,
                    [KubernetesTargetConstants.InjectionAnnotation] = injectionId,
                    ["killswitch.dev/target-pod"] = $"{targetPod.Metadata.NamespaceProperty}/{targetPod.Metadata.Name}",
                    ["killswitch.dev/target-pod-uid"] = targetPod.Metadata.Uid,
                },
            },
            Spec = new V1PodSpec
            {
                // Pinned to the target's node: no scheduling, and the helper sees that node's processes.
                NodeName = targetPod.Spec.NodeName,
                HostPID = true,
                RestartPolicy = "Never",
                // The dead man's switch: the kubelet stops the helper (SIGTERM: the agent reverts) after this long.
                ActiveDeadlineSeconds = (long)Math.Ceiling(lifetime.TotalSeconds),
                TerminationGracePeriodSeconds = 30,
                AutomountServiceAccountToken = false,
                Tolerations = [new V1Toleration { OperatorProperty = "Exists" }],
                Containers =
                [
                    new V1Container
                    {
                        Name = "agent",
                        Image = target.Options.HelperImage,
                        ImagePullPolicy = "IfNotPresent",
                        Command = ["/bin/bash", "-c", Script, "killswitch-helper"],
                        Args = [.. agentArguments],
                        Env = [new V1EnvVar { Name = "KILLSWITCH_TARGET_POD_UID", Value = targetPod.Metadata.Uid }],
                        // Not privileged: only what the job needs. A privileged container asks for every capability, and
                        // runc refuses to start it on hosts that withhold some (the CI VMs lack CAP_SYS_RESOURCE).
                        // SYS_PTRACE: read another container's /proc/<pid>/ns; SYS_ADMIN: setns into it; NET_ADMIN and
                        // NET_RAW: iptables and tc inside it.
                        SecurityContext = new V1SecurityContext
                        {
                            Capabilities = new V1Capabilities { Add = ["NET_ADMIN", "NET_RAW", "SYS_ADMIN", "SYS_PTRACE"] },
                        },
                    },
                ],
            },
        };
    }

    /// <summary>The agent's JSON lines in the helper's log so far (other lines are skipped).</summary>
    public static async Task<IReadOnlyList<JsonObject>> ReadEventsAsync(IKubernetes client, string name, string @namespace, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            // The container has not started yet (400), or the pod is gone (404).
            return [];
        }

        var events = new List<JsonObject>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            try
            {
                if (JsonNode.Parse(line) is JsonObject json)
                {
                    events.Add(json);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // A partial line at the end of the log: the next read has it whole.
            }
        }

        return events;
    }

    public static string? EventName(JsonObject e) => e["event"]?.GetValue<string>();

    public static string Ms(TimeSpan value) => ((long)Math.Round(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Deletes the helper (the kubelet sends its agent SIGTERM: it takes its rules out, prints <c>reverted</c> and exits 0)
    /// and waits for that signal — the agent's <c>reverted</c> line, or its container ended with exit code 0 — not for
    /// the pod to be gone: on a loaded node the kubelet's tear-down of a pod (network, volumes, the API object) takes
    /// tens of seconds after the rules are out. Returns null when the agent reverted, else why it is not known to have
    /// (it ended otherwise: SIGKILLed, OOM-killed; the pod vanished first; <paramref name="timeout"/> passed): then the
    /// caller sweeps the rules with <see cref="SweepRulesAsync"/>.
    /// </summary>
    public static async Task<string?> StopAsync(IKubernetes client, string name, string @namespace, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        string? outcome = null;
        try
        {
            // An agent that already ended (killed during the fault) is known from the pod before it is deleted: a pod
            // with no running container is gone from the API at once.
            var before = await client.CoreV1.ReadNamespacedPodAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (before.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated is { ExitCode: not 0 } dead)
            {
                outcome = string.Create(CultureInfo.InvariantCulture, $"the agent in helper pod {@namespace}/{name} ended without reverting ({dead.Reason ?? "exit"} {dead.ExitCode})");
            }

            await client.CoreV1.DeleteNamespacedPodAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            return $"helper pod {@namespace}/{name} was already gone";
        }

        if (outcome is not null)
        {
            return outcome;
        }

        var signalled = await Waits.UntilAsync(
            async ct =>
            {
                if (await HasRevertedAsync(ct).ConfigureAwait(false))
                {
                    return true;
                }

                V1Pod pod;
                try
                {
                    pod = await client.CoreV1.ReadNamespacedPodAsync(name, @namespace, cancellationToken: ct).ConfigureAwait(false);
                }
                catch (HttpOperationException ex) when (ex.IsNotFound())
                {
                    outcome = $"helper pod {@namespace}/{name} was gone before its agent was seen reverting";
                    return true;
                }

                if (pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated is { } ended)
                {
                    // The log may have gained the line since it was read; exit 0 is the agent's word that it reverted.
                    outcome = ended.ExitCode == 0 || await HasRevertedAsync(ct).ConfigureAwait(false)
                        ? null
                        : string.Create(CultureInfo.InvariantCulture, $"the agent in helper pod {@namespace}/{name} ended without reverting ({ended.Reason ?? "exit"} {ended.ExitCode})");
                    return true;
                }

                return false;
            },
            TimeSpan.FromMilliseconds(250),
            timeout,
            time,
            cancellationToken).ConfigureAwait(false);
        return signalled
            ? outcome
            : string.Create(CultureInfo.InvariantCulture, $"the agent in helper pod {@namespace}/{name} did not report reverted within {timeout.TotalSeconds:0} s of the pod's deletion");

        async Task<bool> HasRevertedAsync(CancellationToken ct) =>
            (await ReadEventsAsync(client, name, @namespace, ct).ConfigureAwait(false)).Any(e => EventName(e) == "reverted");
    }

    /// <summary>
    /// Removes the rules fault <paramref name="injectionId"/> left in <paramref name="targetPod"/>'s network namespace
    /// (its agent was killed before it could): a one-shot pod on the pod's node runs <c>killswitch-agent sweep --tag
    /// ID</c> there — without the tag when the mechanism may have been netem, whose root qdisc carries no tag — and is
    /// deleted once it has reported. Returns the agent's <c>swept</c> line.
    /// </summary>
    /// <exception cref="ChaosTargetException">The sweep did not report within <see cref="KubernetesTargetOptions.HelperTimeout"/>, or failed.</exception>
    public static async Task<JsonObject> SweepRulesAsync(KubernetesTarget target, V1Pod targetPod, string injectionId, string mechanism, CancellationToken cancellationToken)
    {
        var client = target.Client;
        var @namespace = targetPod.Metadata.NamespaceProperty;
        var name = NameFor("sweep-" + Guid.NewGuid().ToString("N")[..6], targetPod.Metadata.Name);
        List<string> arguments = mechanism is "proxy" or "nfqueue" ? ["killswitch-agent", "sweep", "--tag", injectionId] : ["killswitch-agent", "sweep"];
        await client.CoreV1.CreateNamespacedPodAsync(
            Render(name, @namespace, targetPod, arguments, injectionId, target, target.Options.HelperTimeout + TimeSpan.FromMinutes(1), KubernetesTargetConstants.SweeperRole),
            @namespace,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            JsonObject? swept = null;
            string? failure = null;
            await Waits.UntilAsync(
                async ct =>
                {
                    var events = await ReadEventsAsync(client, name, @namespace, ct).ConfigureAwait(false);
                    swept = events.FirstOrDefault(e => EventName(e) == "swept");
                    failure = events.FirstOrDefault(e => EventName(e) == "error")?["message"]?.ToString();
                    if (swept is not null || failure is not null)
                    {
                        return true;
                    }

                    var pod = await client.CoreV1.ReadNamespacedPodAsync(name, @namespace, cancellationToken: ct).ConfigureAwait(false);
                    if (pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting is { Reason: "ErrImageNeverPull" or "ErrImagePull" or "ImagePullBackOff" or "InvalidImageName" or "CreateContainerConfigError" } waiting)
                    {
                        failure = $"its image {target.Options.HelperImage} cannot be used ({waiting.Reason}: {waiting.Message})";
                        return true;
                    }

                    if (pod.Status?.Phase is "Failed" or "Succeeded")
                    {
                        // Ended: read the log once more, it may hold the line now.
                        events = await ReadEventsAsync(client, name, @namespace, ct).ConfigureAwait(false);
                        swept = events.FirstOrDefault(e => EventName(e) == "swept");
                        failure = swept is null ? $"it ended ({pod.Status.Phase}) without reporting: {pod.Status.Message ?? pod.Status.Reason}" : null;
                        return true;
                    }

                    return false;
                },
                TimeSpan.FromMilliseconds(250),
                target.Options.HelperTimeout,
                target.Options.TimeProvider,
                cancellationToken).ConfigureAwait(false);
            return swept ?? throw new ChaosTargetException(
                string.Create(CultureInfo.InvariantCulture, $"Removing the rules of fault {injectionId} from pod {@namespace}/{targetPod.Metadata.Name} failed: sweep pod {name} ") +
                (failure ?? string.Create(CultureInfo.InvariantCulture, $"did not report within HelperTimeout ({target.Options.HelperTimeout.TotalSeconds:0} s)")) +
                $". Until they are removed, new connections to that pod may be refused; deleting the pod removes them too (kubectl -n {@namespace} delete pod {targetPod.Metadata.Name}).")
            {
                Target = KubernetesTargetConstants.Name,
            };
        }
        finally
        {
            try
            {
                await client.CoreV1.DeleteNamespacedPodAsync(name, @namespace, new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.IsNotFound())
            {
                // Gone already.
            }
        }
    }
}
