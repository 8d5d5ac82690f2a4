using System.Globalization;
using System.Text.Json;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Containers;
using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// Latency, Blackhole, Bandwidth and ResetPeer: one helper container per selected replica, from the tools image, sharing
/// the replica's network namespace (<c>--network container:REPLICA --cap-add NET_ADMIN</c>) and running the network
/// agent (src/Killswitch.Chaos.Agent): iptables REDIRECT of the replica's port into the chaos core's proxy and toxic, or
/// for latency netem where the kernel has it, else iptables NFQUEUE and the agent's packet delayer (which reaches
/// connections opened before the fault too). The agent reports which mechanism ran and its counters on stdout; the
/// proof quotes both. Revert stops the helper with SIGTERM (the agent removes its rules and exits); if it could not,
/// a one-shot <c>sweep --tag</c> helper removes them.
/// </summary>
internal sealed class AgentFaultHandle : IFaultHandle
{
    private readonly IReadOnlyList<DockerReplica> _replicas;
    private readonly IReadOnlyList<string> _sources;
    private readonly DockerTarget _target;
    private readonly ILogger _logger;
    private readonly List<Agent> _agents = [];
    private int _reverted;

    public AgentFaultHandle(FaultInjection injection, IReadOnlyList<DockerReplica> replicas, IReadOnlyList<string> sources, DockerTarget target, ILogger logger)
    {
        Injection = injection;
        _replicas = replicas;
        _sources = sources;
        _target = target;
        _logger = logger;
    }

    public FaultInjection Injection { get; }

    public async ValueTask InjectAsync(CancellationToken cancellationToken)
    {
        var network = (NetworkFaultOptions)Injection.Fault;
        _target.Journal.AddFault(new JournalFault(
            Injection.Id,
            Injection.Fault.Kind,
            [.. _replicas.Select(r => r.Id)],
            $"network agent helper containers in the replicas' namespaces{(network.From is null ? string.Empty : " (from " + network.From + ")")}"));
        try
        {
            await Task.WhenAll(_replicas.Select(r => StartAgentAsync(r, cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            await RevertAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var proof = await ProveAsync(cancellationToken).ConfigureAwait(false);
        if (!proof.TookEffect)
        {
            // The agent prints its counters at most every 200 ms: give traffic that just happened time to show.
            await Waits.UntilAsync(
                async ct => (proof = await ProveAsync(ct).ConfigureAwait(false)).TookEffect,
                TimeSpan.FromMilliseconds(100),
                TimeSpan.FromSeconds(1),
                _target.Time,
                cancellationToken).ConfigureAwait(false);
        }

        return proof;
    }

    private async Task<FaultProof> ProveAsync(CancellationToken cancellationToken)
    {
        long hits = 0;
        double? minHeld = null;
        long bytes = 0;
        var mechanisms = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var agent in Snapshot())
        {
            var stats = (await ReadLinesAsync(agent, cancellationToken).ConfigureAwait(false)).LastOrDefault(l => l.Event == "stats");
            mechanisms.Add(agent.Mechanism + (agent.NetemUnavailable is null ? string.Empty : " (netem unavailable: " + agent.NetemUnavailable + ")"));
            if (stats is null)
            {
                continue;
            }

            hits += stats.Long("hits");
            bytes += stats.Long("bytesSwallowed") + stats.Long("bytesThrottled");
            if (stats.Double("minHeldMs") is { } held)
            {
                minHeld = minHeld is null ? held : Math.Min(minHeld.Value, held);
            }
        }

        var how = $"mechanism: {string.Join("; ", mechanisms)}";
        var paths = string.Join(", ", _replicas.Select(r => r.Id));
        var noTraffic = $"No traffic reached {paths} while the fault was in force ({how}), so it never took effect. " +
                        "Send the workload through the affected service (or set From to the edge the workload uses)" +
                        (mechanisms.Any(m => m.StartsWith("proxy", StringComparison.Ordinal)) ? "; with the proxy mechanism only connections opened after injection are affected." : ".");
        var unit = mechanisms.Any(m => m.StartsWith("nfqueue", StringComparison.Ordinal)) ? "packet(s)" : "chunk(s)";
        if (hits == 0)
        {
            return Injection.Fault is ResetPeerOptions
                ? new FaultProof(false, $"No connection to {paths} was opened while the fault was in force, so none was reset ({how}).")
                : new FaultProof(false, noTraffic);
        }

        return Injection.Fault switch
        {
            LatencyOptions latency when minHeld is { } held => held >= (latency.Latency - latency.Jitter).TotalMilliseconds
                ? new FaultProof(true, string.Create(CultureInfo.InvariantCulture, $"{hits} {unit} of {paths} were held at least {held:0.0} ms (injected {latency.Latency.TotalMilliseconds:0} ms ± {latency.Jitter.TotalMilliseconds:0} ms; {how})."))
                : new FaultProof(false, string.Create(CultureInfo.InvariantCulture, $"Traffic into {paths} was held only {held:0.0} ms, less than the injected {latency.Latency.TotalMilliseconds:0} ms - {latency.Jitter.TotalMilliseconds:0} ms ({how}).")),
            LatencyOptions => new FaultProof(true, $"{hits} packet(s) left {paths} through the netem qdisc ({how})."),
            ResetPeerOptions => new FaultProof(true, $"{hits} connection(s) into {paths} were reset ({how})."),
            BlackholeOptions => new FaultProof(true, $"{bytes} byte(s) into {paths} were swallowed ({how})."),
            BandwidthOptions b => new FaultProof(true, $"{bytes} byte(s) into {paths} were paced at {b.BytesPerSecond} B/s ({how})."),
            _ => new FaultProof(false, "Unknown fault."),
        };
    }

    public async ValueTask RevertAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reverted, 1) == 1)
        {
            return;
        }

        var failures = new List<string>();
        await Task.WhenAll(Snapshot().Select(async agent =>
        {
            if (await StopAgentAsync(agent).ConfigureAwait(false) is { } failure)
            {
                lock (failures)
                {
                    failures.Add(failure);
                }
            }
        })).ConfigureAwait(false);
        _target.Journal.RemoveFault(Injection.Id);
        if (failures.Count > 0)
        {
            throw new ChaosTargetException(string.Join(" ", failures)) { Fault = Injection.Fault.DisplayName, Target = DockerTargetConstants.Name };
        }
    }

    public ValueTask DisposeAsync() => RevertAsync();

    private Agent[] Snapshot()
    {
        lock (_agents)
        {
            return [.. _agents];
        }
    }

    private async Task StartAgentAsync(DockerReplica replica, CancellationToken cancellationToken)
    {
        var tag = $"{Injection.Id}-{replica.Id}";
        var name = AgentContainers.Name(_target, tag);
        var agent = new Agent(tag, name, replica);
        lock (_agents)
        {
            _agents.Add(agent);
        }

        _target.Journal.AddResource(new JournalResource("agent:" + tag, DockerTargetConstants.ContainerResource, Detail: name));
        agent.Container = AgentContainers.Builder(_target, name, replica, Arguments(tag, replica)).Build();
        await agent.Container.StartAsync(cancellationToken).ConfigureAwait(false);

        var ready = await Waits.UntilAsync(
            async ct =>
            {
                var lines = await ReadLinesAsync(agent, ct).ConfigureAwait(false);
                agent.Ready = lines.FirstOrDefault(l => l.Event == "ready");
                agent.Error = lines.FirstOrDefault(l => l.Event == "error")?.String("message");
                return agent.Ready is not null || agent.Error is not null || agent.Container.State == TestcontainersStates.Exited;
            },
            TimeSpan.FromMilliseconds(25),
            _target.Options.AgentTimeout,
            _target.Time,
            cancellationToken).ConfigureAwait(false);

        if (agent.Ready is null)
        {
            var (stdout, stderr) = await agent.Container.GetLogsAsync(timestampsEnabled: false, ct: CancellationToken.None).ConfigureAwait(false);
            var why = agent.Error ?? (ready ? "it exited without a word" : $"it did not report ready within AgentTimeout ({_target.Options.AgentTimeout.TotalSeconds:0.#} s)");
            throw new ChaosTargetException(
                $"The network agent for fault '{Injection.Fault.DisplayName}' on {replica.Id} (helper container {name}, image {_target.Options.ToolsImage}) could not inject: {why}. " +
                $"Output: {(stdout + stderr).Trim()} The helper needs NET_ADMIN and iptables in the tools image (build/images/tools.sh).")
            {
                Fault = Injection.Fault.DisplayName,
                Target = DockerTargetConstants.Name,
            };
        }

        agent.Mechanism = agent.Ready.String("mechanism") ?? "unknown";
        agent.NetemUnavailable = agent.Ready.String("netemUnavailable");
        Log.AgentInjected(_logger, Injection.Id, replica.Id, agent.Mechanism);
    }

    private List<string> Arguments(string tag, DockerReplica replica)
    {
        var args = new List<string> { "inject", "--tag", tag, "--port", Str(replica.Port) };
        switch (Injection.Fault)
        {
            case LatencyOptions latency:
                int seed;
                lock (Injection.Random)
                {
                    seed = Injection.Random.Next();
                }

                args.AddRange(["--fault", "latency", "--latency-ms", Ms(latency.Latency), "--jitter-ms", Ms(latency.Jitter), "--direction", Direction(latency.Direction), "--seed", Str(seed)]);
                break;
            case BlackholeOptions blackhole:
                args.AddRange(["--fault", "blackhole"]);
                if (blackhole.CloseAfter is { } closeAfter)
                {
                    args.AddRange(["--close-after-ms", Ms(closeAfter)]);
                }

                break;
            case BandwidthOptions bandwidth:
                args.AddRange(["--fault", "bandwidth", "--bytes-per-second", bandwidth.BytesPerSecond.ToString(CultureInfo.InvariantCulture), "--direction", Direction(bandwidth.Direction)]);
                break;
            case ResetPeerOptions reset:
                args.AddRange(["--fault", "reset-peer", "--reset-after-ms", Ms(reset.ResetAfter)]);
                break;
        }

        if (_sources.Count > 0)
        {
            args.AddRange(["--from", string.Join(',', _sources)]);
        }

        args.AddRange(["--mechanism", _target.Options.NetworkFaultMechanism switch
        {
            NetworkFaultMechanism.Proxy => "proxy",
            NetworkFaultMechanism.Nfqueue when Injection.Fault is LatencyOptions => "nfqueue",
            _ => "auto",
        }]);
        return args;
    }

    private async Task<string?> StopAgentAsync(Agent agent)
    {
        try
        {
            if (agent.Container is { } container && !string.IsNullOrEmpty(container.Id))
            {
                // SIGTERM: the agent removes its rules, then its proxy, prints "reverted" and exits.
                await _target.Engine.Client.Containers.StopContainerAsync(
                    container.Id,
                    new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(_target.Options.AgentTimeout.TotalSeconds) },
                    CancellationToken.None).ConfigureAwait(false);
                var reverted = (await ReadLinesAsync(agent, CancellationToken.None).ConfigureAwait(false)).Any(l => l.Event == "reverted");
                var replicaRuns = agent.Replica.ContainerId is { } id && await _target.Engine.InspectAsync(id, CancellationToken.None).ConfigureAwait(false) is { State.Running: true };
                if (!reverted && replicaRuns)
                {
                    await AgentContainers.RunOnceAsync(_target, agent.Tag + "-sweep", agent.Replica, ["sweep", "--tag", agent.Tag], CancellationToken.None).ConfigureAwait(false);
                }
            }

            return null;
        }
#pragma warning disable CA1031 // Every agent is stopped even when one fails; the failures are reported together.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"Stopping the network agent {agent.Name} failed: {ex.Message}";
        }
        finally
        {
            await _target.RemoveContainerAsync("agent:" + agent.Tag, agent.Name).ConfigureAwait(false);
        }
    }

    private static async Task<List<AgentLine>> ReadLinesAsync(Agent agent, CancellationToken cancellationToken)
    {
        if (agent.Container is null)
        {
            return [];
        }

        var (stdout, _) = await agent.Container.GetLogsAsync(timestampsEnabled: false, ct: cancellationToken).ConfigureAwait(false);
        var lines = new List<AgentLine>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                lines.Add(new AgentLine(document.RootElement.Clone()));
            }
            catch (JsonException)
            {
                // A torn line (read while being written): the next read has it whole.
            }
        }

        return lines;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan value) => ((long)Math.Round(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    private static string Direction(TrafficDirection direction) => direction.ToString().ToLowerInvariant();

    private sealed class Agent(string tag, string name, DockerReplica replica)
    {
        public string Tag { get; } = tag;

        public string Name { get; } = name;

        public DockerReplica Replica { get; } = replica;

        public IContainer? Container { get; set; }

        public AgentLine? Ready { get; set; }

        public string? Error { get; set; }

        public string Mechanism { get; set; } = "unknown";

        public string? NetemUnavailable { get; set; }
    }

    /// <summary>One JSON line of the agent's output.</summary>
    private sealed class AgentLine(JsonElement element)
    {
        public string? Event => String("event");

        public string? String(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public long Long(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

        public double? Double(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    }
}
