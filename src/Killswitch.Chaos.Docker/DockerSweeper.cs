using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// Removes what dead Docker-target sessions left: first what their journals name (containers, then networks), then,
/// journal or not, every container and network labelled <c>killswitch.dev/target=docker</c> whose owner label names a
/// process on this host that is gone (a deleted journal directory, another journal directory, a crash before the first
/// journal write). Owners on other hosts sharing the engine are left alone. What lived in a replica's network namespace
/// (the agent's iptables rules and proxy) goes with the replica's container.
/// </summary>
internal sealed class DockerSweeper(DockerEngine engine, string journalDirectory, ILogger logger)
{
    public async Task<SweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var sessions = 0;
        var removed = 0;
        var details = new List<string>();
        var networks = new List<(string RunId, string Network)>();
        foreach (var (path, record) in ChaosJournal.FindAbandoned(journalDirectory, (p, ex) => Log.JournalUnreadable(logger, p, ex)))
        {
            if (record.Target != DockerTargetConstants.Name)
            {
                continue;
            }

            var actions = new List<string>();
            foreach (var resource in record.Resources.Where(r => r.Kind == DockerTargetConstants.ContainerResource && r.Detail is not null))
            {
                if (await engine.RemoveContainerAsync(resource.Detail!, cancellationToken).ConfigureAwait(false))
                {
                    removed++;
                    actions.Add("removed container " + resource.Detail);
                }
            }

            networks.AddRange(record.Resources.Where(r => r.Kind == DockerTargetConstants.NetworkResource && r.Detail is not null).Select(r => (record.RunId, r.Detail!)));
            if (record.Faults.Count > 0)
            {
                actions.Add($"{record.Faults.Count} fault(s) ended with their containers");
            }

            File.Delete(path);
            sessions++;
            details.Add($"{record.RunId}: " + (actions.Count == 0 ? "nothing left running" : string.Join(", ", actions)));
        }

        foreach (var container in await engine.ListContainersAsync($"{DockerTargetConstants.TargetLabel}={DockerTargetConstants.Name}", cancellationToken).ConfigureAwait(false))
        {
            if (OwnerIsGone(container.Labels) && await engine.RemoveContainerAsync(container.ID, cancellationToken).ConfigureAwait(false))
            {
                removed++;
                details.Add($"{Label(container.Labels, DockerTargetConstants.RunIdLabel)}: removed container {container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID} (owner {Label(container.Labels, DockerTargetConstants.OwnerLabel)} is gone)");
            }
        }

        foreach (var (runId, network) in networks)
        {
            if (await engine.RemoveNetworkAsync(network, cancellationToken).ConfigureAwait(false))
            {
                details.Add($"{runId}: removed network {network}");
            }
        }

        foreach (var network in await engine.ListNetworksAsync($"{DockerTargetConstants.TargetLabel}={DockerTargetConstants.Name}", cancellationToken).ConfigureAwait(false))
        {
            if (OwnerIsGone(network.Labels) && await engine.RemoveNetworkAsync(network.ID, cancellationToken).ConfigureAwait(false))
            {
                details.Add($"{Label(network.Labels, DockerTargetConstants.RunIdLabel)}: removed network {network.Name} (owner {Label(network.Labels, DockerTargetConstants.OwnerLabel)} is gone)");
            }
        }

        foreach (var line in details)
        {
            Log.Swept(logger, line);
        }

        return details.Count == 0 && sessions == 0 ? SweepReport.Empty : new SweepReport(sessions, removed, details);
    }

    /// <summary>Whether the owner label names a process on this host that no longer runs.</summary>
    internal static bool OwnerIsGone(IDictionary<string, string>? labels)
    {
        var owner = Label(labels, DockerTargetConstants.OwnerLabel);
        var parts = owner.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        return !new ProcessIdentity(pid, parts[2]).IsAlive();
    }

    private static string Label(IDictionary<string, string>? labels, string key) => labels is not null && labels.TryGetValue(key, out var value) ? value : string.Empty;
}
