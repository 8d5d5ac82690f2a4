namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// The owner of what a session creates in the cluster, written as an annotation (<c>host/pid/start-token</c>) so that a
/// later session on the same host can tell a live owner (leave it alone: a parallel test run) from a dead one (sweep).
/// Objects owned from another host are left to that host's sweep, or to the cluster's dead man's switch
/// (<see cref="KubernetesTargetOptions.MaxFaultLifetime"/>).
/// </summary>
internal static class Owner
{
    public static string Current { get; } = $"{Environment.MachineName}/{ProcessIdentity.Current.Pid}/{ProcessIdentity.Current.StartToken}";

    /// <summary>Whether <paramref name="annotation"/> names a process on this host that is gone.</summary>
    public static bool IsAbandoned(string? annotation)
    {
        if (annotation is null)
        {
            return false;
        }

        var parts = annotation.Split('/', 3);
        return parts.Length == 3
            && string.Equals(parts[0], Environment.MachineName, StringComparison.Ordinal)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            && !new ProcessIdentity(pid, parts[2]).IsAlive();
    }
}
