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

    public static string NameFor(string injectionId, string podName)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(injectionId + "/" + podName)))[..8].ToLowerInvariant();
        var stem = $"ks-{injectionId}-{podName}";
        stem = stem.Length > 50 ? stem[..50] : stem;
        return $"{stem.TrimEnd('-')}-{hash}";
    }

    public static V1Pod Render(string name, string @namespace, V1Pod targetPod, IReadOnlyList<string> agentArguments, string injectionId, KubernetesTarget target, TimeSpan lifetime)
    {
        var labels = target.Labels();
        labels[KubernetesTargetConstants.RoleLabel] = KubernetesTargetConstants.HelperRole;
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

    /// <summary>Deletes the helper (SIGTERM: its agent reverts) and waits until it is gone.</summary>
    public static async Task DeleteAndWaitAsync(IKubernetes client, string name, string @namespace, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.IsNotFound())
        {
            return;
        }

        var watch = await PodWatch.StartAsync(client, @namespace, $"{KubernetesTargetConstants.RoleLabel}={KubernetesTargetConstants.HelperRole}", time, cancellationToken).ConfigureAwait(false);
        bool gone;
        await using (watch.ConfigureAwait(false))
        {
            gone = await watch.WaitAsync(pods => pods.All(p => p.Metadata.Name != name), timeout, cancellationToken).ConfigureAwait(false);
        }

        if (!gone)
        {
            throw new ChaosTargetException(string.Create(CultureInfo.InvariantCulture, $"Helper pod {@namespace}/{name} did not stop within {timeout.TotalSeconds:0} s after deletion; its fault may still be in force. Check it with kubectl -n {@namespace} describe pod {name}."))
            {
                Target = KubernetesTargetConstants.Name,
            };
        }
    }
}
