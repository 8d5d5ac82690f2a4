using System.Text.Json;
using System.Text.Json.Serialization;

namespace Killswitch.Chaos;

/// <summary>
/// The write-ahead record of what a target session created and injected, so that a later session can undo it when this
/// one dies without cleaning up (a SIGKILLed test host, a CI job killed on timeout). One file per session:
/// <c>&lt;directory&gt;/&lt;run-id&gt;.json</c>, rewritten atomically (temp file + rename) before each change takes effect and
/// deleted when the session ends cleanly. Targets in other packages record their own resource kinds.
/// </summary>
/// <remarks>
/// Files are not fsync'ed: the journal guards against the owner process dying (the page cache survives that), not
/// against the machine losing power (which ends every process the journal could name anyway).
/// </remarks>
public sealed class ChaosJournal
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly object _gate = new();
    private readonly List<JournalResource> _resources = [];
    private readonly List<JournalFault> _faults = [];
    private bool _deleted;

    /// <summary>Creates the journal file for a new session owned by the current process.</summary>
    public ChaosJournal(string directory, string runId, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        Directory.CreateDirectory(directory);
        FilePath = System.IO.Path.Combine(directory, runId + JournalConstants.FileExtension);
        RunId = runId;
        Target = target;
        Owner = ProcessIdentity.Current;
        CreatedAt = DateTimeOffset.UtcNow;
        Write();
    }

    /// <summary>The default journal directory: <c>&lt;temp&gt;/killswitch/journal</c>.</summary>
    public static string DefaultDirectory => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "killswitch", "journal");

    /// <summary>The journal file.</summary>
    public string FilePath { get; }

    /// <summary>The session's run id.</summary>
    public string RunId { get; }

    /// <summary>The target that owns the session.</summary>
    public string Target { get; }

    /// <summary>The process that owns the session.</summary>
    public ProcessIdentity Owner { get; }

    /// <summary>When the session began.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The current content.</summary>
    public JournalRecord Snapshot()
    {
        lock (_gate)
        {
            return new JournalRecord(RunId, Target, Owner, CreatedAt, [.. _resources], [.. _faults]);
        }
    }

    /// <summary>Records a resource (a process, a port, a container) the session is about to hold.</summary>
    public void AddResource(JournalResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Mutate(() => _resources.Add(resource));
    }

    /// <summary>Forgets a resource that no longer exists.</summary>
    public void RemoveResource(string id) => Mutate(() => _resources.RemoveAll(r => r.Id == id));

    /// <summary>Records a fault before it is injected.</summary>
    public void AddFault(JournalFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        Mutate(() => _faults.Add(fault));
    }

    /// <summary>Forgets a fault after it was reverted.</summary>
    public void RemoveFault(string id) => Mutate(() => _faults.RemoveAll(f => f.Id == id));

    /// <summary>Deletes the file: the session ended and left nothing behind. Idempotent.</summary>
    public void Delete()
    {
        lock (_gate)
        {
            _deleted = true;
            try
            {
                File.Delete(FilePath);
            }
            catch (DirectoryNotFoundException)
            {
                // Someone removed the whole journal directory: nothing left to delete.
            }
        }
    }

    /// <summary>
    /// Reads every journal in <paramref name="directory"/> whose owner process is gone (dead, or its PID reused by
    /// another process). Files that do not parse are reported through <paramref name="unreadable"/> and left alone.
    /// </summary>
    public static IReadOnlyList<(string Path, JournalRecord Record)> FindAbandoned(string directory, Action<string, Exception>? unreadable = null)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var result = new List<(string, JournalRecord)>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + JournalConstants.FileExtension))
        {
            JournalRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<JournalRecord>(File.ReadAllText(path), Json);
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                unreadable?.Invoke(path, ex);
                continue;
            }

            if (record is not null && !record.Owner.IsAlive())
            {
                result.Add((path, record));
            }
        }

        return result;
    }

    /// <summary>Reads one journal file.</summary>
    public static JournalRecord Read(string path) =>
        JsonSerializer.Deserialize<JournalRecord>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"Journal {path} is empty.");

    private void Mutate(Action change)
    {
        lock (_gate)
        {
            change();
            if (!_deleted)
            {
                Write();
            }
        }
    }

    private void Write()
    {
        var record = new JournalRecord(RunId, Target, Owner, CreatedAt, [.. _resources], [.. _faults]);
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(record, Json));
        File.Move(temp, FilePath, overwrite: true);
    }
}

/// <summary>The content of a journal file.</summary>
/// <param name="RunId">The session.</param>
/// <param name="Target">The target that wrote it (<c>local</c>, <c>docker</c> ...): its sweep knows the resource kinds.</param>
/// <param name="Owner">The process that owns the session; when it is gone, the session is abandoned.</param>
/// <param name="CreatedAt">When the session began.</param>
/// <param name="Resources">What the session holds.</param>
/// <param name="Faults">Faults in force.</param>
public sealed record JournalRecord(string RunId, string Target, ProcessIdentity Owner, DateTimeOffset CreatedAt, IReadOnlyList<JournalResource> Resources, IReadOnlyList<JournalFault> Faults);

/// <summary>Something a session holds and a sweep must release.</summary>
/// <param name="Id">Unique within the session.</param>
/// <param name="Kind">What it is (<see cref="JournalConstants.ProcessResource"/>, <see cref="JournalConstants.PortResource"/>, or a target's own kind).</param>
/// <param name="Process">For processes: which one, with its start time so a reused PID is never killed.</param>
/// <param name="Port">For ports: the loopback port.</param>
/// <param name="Detail">Anything else the target's sweep needs (a container id, a namespace).</param>
public sealed record JournalResource(string Id, string Kind, ProcessIdentity? Process = null, int? Port = null, string? Detail = null);

/// <summary>A fault recorded before injection.</summary>
/// <param name="Id">The injection id.</param>
/// <param name="Kind">The fault's kind.</param>
/// <param name="Instances">The instances it acts on.</param>
/// <param name="Detail">What undoing it means for the target.</param>
public sealed record JournalFault(string Id, string Kind, IReadOnlyList<string> Instances, string? Detail = null);

/// <summary>Journal names and resource kinds.</summary>
public static class JournalConstants
{
    /// <summary>Journal files end with this.</summary>
    public const string FileExtension = ".json";

    /// <summary>A local OS process (and its children).</summary>
    public const string ProcessResource = "process";

    /// <summary>A loopback port held by a listener (a proxy): released by the OS when its owner dies.</summary>
    public const string PortResource = "port";
}
