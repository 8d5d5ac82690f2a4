using System.Diagnostics;
using System.Globalization;

namespace Killswitch.Chaos.Local;

/// <summary>One replica: a real OS process listening on its own loopback port.</summary>
internal sealed class LocalReplica
{
    private const int OutputLines = 40;
    private readonly Queue<string> _output = new();
    private readonly Task _exited;
    private long _killedAt;
    private long _readyAt;
    private int _state = (int)InstanceState.Starting;

    private LocalReplica(string id, string service, int port, Process process, string? replaces, IReadOnlyDictionary<string, string> labels)
    {
        Id = id;
        Service = service;
        Port = port;
        Process = process;
        Replaces = replaces;
        Labels = labels;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        Identity = ProcessIdentity.Of(process.Id) ?? new ProcessIdentity(process.Id, "unknown");
        _exited = process.WaitForExitAsync();
    }

    public string Id { get; }

    public string Service { get; }

    public int Port { get; }

    public Uri Endpoint { get; }

    public Process Process { get; }

    public ProcessIdentity Identity { get; }

    /// <summary>The replica this one replaced, if it is a replacement.</summary>
    public string? Replaces { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public InstanceState State => (InstanceState)Volatile.Read(ref _state);

    public Task Exited => _exited;

    /// <summary>When a fault killed it (TimeProvider timestamp), or 0.</summary>
    public long KilledAt => Interlocked.Read(ref _killedAt);

    /// <summary>When it became ready (TimeProvider timestamp), or 0.</summary>
    public long ReadyAt => Interlocked.Read(ref _readyAt);

    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public Instance ToInstance() => new(Id, Service, Labels, Endpoint, State);

    public static LocalReplica Start(
        ServiceDefinition service,
        LocalProcessRuntime runtime,
        int ordinal,
        string? replaces,
        IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var port = FreePorts.Next();
        var id = string.Create(CultureInfo.InvariantCulture, $"{service.Name}-{ordinal}");
        string Expand(string value) => value
            .Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{service}", service.Name, StringComparison.Ordinal)
            .Replace("{replica}", ordinal.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var startInfo = new ProcessStartInfo(runtime.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = runtime.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(runtime.FileName)) ?? Environment.CurrentDirectory,
        };
        foreach (var argument in runtime.Arguments)
        {
            startInfo.ArgumentList.Add(Expand(argument));
        }

        foreach (var (key, value) in runtime.Environment)
        {
            startInfo.Environment[key] = Expand(value);
        }

        foreach (var (key, value) in extraEnvironment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.Environment[LocalTargetConstants.InstanceIdVariable] = id;

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        LocalReplica? replica = null;
        void Capture(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line && replica is not null)
            {
                lock (replica._output)
                {
                    replica._output.Enqueue(line);
                    while (replica._output.Count > OutputLines)
                    {
                        replica._output.Dequeue();
                    }
                }
            }
        }

        process.OutputDataReceived += Capture;
        process.ErrorDataReceived += Capture;
        if (!process.Start())
        {
            throw new ChaosTargetException($"Could not start '{runtime.FileName}' for service '{service.Name}'.") { Target = LocalTargetConstants.Name };
        }

        replica = new LocalReplica(id, service.Name, port, process, replaces, service.EffectiveLabels());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return replica;
    }

    public void MarkKilled(long timestamp) => Interlocked.CompareExchange(ref _killedAt, timestamp, 0);

    /// <summary>Marks it ready; false when it already exited (the exit and the readiness answer raced).</summary>
    public bool MarkReady(long timestamp)
    {
        Interlocked.Exchange(ref _readyAt, timestamp);
        return Interlocked.CompareExchange(ref _state, (int)InstanceState.Ready, (int)InstanceState.Starting) == (int)InstanceState.Starting;
    }

    /// <summary>Marks it terminated and returns the state it was in.</summary>
    public InstanceState MarkTerminated() => (InstanceState)Interlocked.Exchange(ref _state, (int)InstanceState.Terminated);

    /// <summary>
    /// Whether it exited on its own because its port was taken: <see cref="FreePorts"/> hands out a port that was free a
    /// moment ago, and another process (an outgoing connection's ephemeral source port, most often) can take it before
    /// the replica binds it. Kestrel, Node, Go and Python all say so in these words.
    /// </summary>
    public bool LostItsPort =>
        Exited.IsCompleted && KilledAt == 0 &&
        (OutputTail.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || OutputTail.Contains("EADDRINUSE", StringComparison.Ordinal));

    /// <summary>SIGKILL the process and its children. Safe to call on a process that already exited.</summary>
    public void KillForcefully()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
