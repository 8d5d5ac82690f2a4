using System.Collections.Concurrent;
using System.Net;

namespace Killswitch.Chaos.Local.Proxy;

/// <summary>One replica behind a proxy: its address, the toxics in force on it, and the connections open to it.</summary>
internal sealed class ProxyBackend(string instanceId, IPEndPoint endpoint)
{
    private Toxic[] _toxics = [];

    public string InstanceId { get; } = instanceId;

    public IPEndPoint EndPoint { get; } = endpoint;

    public ConcurrentDictionary<ProxyConnection, byte> Connections { get; } = new();

    /// <summary>The toxics in force: read once per chunk by the pumps, swapped whole on inject and revert.</summary>
    public Toxic[] Toxics => Volatile.Read(ref _toxics);

    public void Add(Toxic toxic)
    {
        Toxic[] current, next;
        do
        {
            current = Volatile.Read(ref _toxics);
            if (current.Contains(toxic))
            {
                return;
            }

            next = [.. current, toxic];
        }
        while (Interlocked.CompareExchange(ref _toxics, next, current) != current);
    }

    public void Remove(Toxic toxic)
    {
        Toxic[] current, next;
        do
        {
            current = Volatile.Read(ref _toxics);
            next = [.. current.Where(t => !ReferenceEquals(t, toxic))];
        }
        while (Interlocked.CompareExchange(ref _toxics, next, current) != current);
    }
}
