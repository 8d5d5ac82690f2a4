namespace Killswitch.Chaos;

/// <summary>
/// One running replica of a service, as a target reports it: a pod, a container, a local process.
/// </summary>
/// <param name="Id">Unique within the target for the life of the replica (a replacement gets a new id).</param>
/// <param name="Service">The service it belongs to.</param>
/// <param name="Labels">Its labels, the service's plus <see cref="ServiceConstants.ServiceLabel"/>.</param>
/// <param name="Endpoint">Its own address (not the service's balanced one).</param>
/// <param name="State">Whether it is ready.</param>
public sealed record Instance(string Id, string Service, IReadOnlyDictionary<string, string> Labels, Uri Endpoint, InstanceState State)
{
    /// <summary>The labels as <c>key=value,key=value</c>, sorted by key.</summary>
    public string FormatLabels() => string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}

/// <summary>The life cycle of an <see cref="Instance"/>.</summary>
public enum InstanceState
{
    /// <summary>Started, not ready yet.</summary>
    Starting,

    /// <summary>Answers its readiness probe and receives traffic.</summary>
    Ready,

    /// <summary>Exited or killed.</summary>
    Terminated,
}
