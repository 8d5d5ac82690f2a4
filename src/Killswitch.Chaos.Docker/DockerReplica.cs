using DotNet.Testcontainers.Containers;

namespace Killswitch.Chaos.Docker;

/// <summary>One replica: a container on the target's network, reached from the host at its network address.</summary>
internal sealed class DockerReplica(string id, string service, string containerName, int ordinal, string? replaces, IReadOnlyDictionary<string, string> labels)
{
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _killedAt;
    private long _readyAt;
    private int _state = (int)InstanceState.Starting;

    public string Id { get; } = id;

    public string Service { get; } = service;

    public string ContainerName { get; } = containerName;

    public int Ordinal { get; } = ordinal;

    /// <summary>The replica this one replaced, if it is a replacement.</summary>
    public string? Replaces { get; } = replaces;

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public IContainer? Container { get; set; }

    /// <summary>The engine's id (set once created).</summary>
    public string? ContainerId { get; set; }

    /// <summary>The address on the target's network (set once started).</summary>
    public System.Net.IPAddress? Address { get; set; }

    public int Port { get; set; }

    public Uri Endpoint => Address is null ? new Uri("http://0.0.0.0/") : new Uri($"http://{Address}:{Port}/");

    public InstanceState State => (InstanceState)Volatile.Read(ref _state);

    /// <summary>Completes when the engine reports the container died.</summary>
    public Task Exited => _exited.Task;

    public long KilledAt => Interlocked.Read(ref _killedAt);

    public long ReadyAt => Interlocked.Read(ref _readyAt);

    public long? ExitCode { get; private set; }

    public Instance ToInstance() => new(Id, Service, Labels, Endpoint, State);

    public void MarkKilled(long timestamp) => Interlocked.CompareExchange(ref _killedAt, timestamp, 0);

    public void MarkReady(long timestamp)
    {
        Interlocked.Exchange(ref _readyAt, timestamp);
        Interlocked.CompareExchange(ref _state, (int)InstanceState.Ready, (int)InstanceState.Starting);
    }

    public void MarkExited(long? exitCode)
    {
        ExitCode = exitCode;
        Volatile.Write(ref _state, (int)InstanceState.Terminated);
        _exited.TrySetResult();
    }
}
