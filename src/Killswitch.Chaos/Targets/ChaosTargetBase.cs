using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos;

/// <summary>
/// The session lifecycle every target shares, so a target only says what is its own: <see cref="StartAsync"/> runs
/// once (gated, after <see cref="PrepareAsync"/> swept what dead sessions left), opens the session's journal before
/// anything is created, and undoes a failed start; faults handed out are tracked, and <see cref="DisposeAsync"/> reverts
/// them before the target's own teardown (<see cref="StopCoreAsync"/>), each step logged and passed when it fails, then
/// deletes the journal. <see cref="OnOwnerExit"/> is the last resort when the process exits without disposing.
/// </summary>
/// <remarks>
/// Derive from it to write a target of your own: implement <see cref="Name"/>, <see cref="PrepareAsync"/>,
/// <see cref="StartCoreAsync"/>, <see cref="StopCoreAsync"/> and the <see cref="IChaosTarget"/> members about
/// instances and faults, and pass every fault handle you return to <see cref="Track"/>.
/// </remarks>
public abstract class ChaosTargetBase : IChaosTarget
{
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly List<IFaultHandle> _handles = [];
    private readonly string _journalDirectory;
    private ChaosJournal? _journal;
    private bool _started;
    private int _disposed;

    /// <summary>Creates the session; nothing runs until <see cref="StartAsync"/>.</summary>
    protected ChaosTargetBase(string runId, string journalDirectory, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(journalDirectory);
        ArgumentNullException.ThrowIfNull(logger);
        RunId = runId;
        _journalDirectory = journalDirectory;
        Logger = logger;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public string RunId { get; }

    /// <summary>The session's journal file (exists while the target runs).</summary>
    public string JournalPath => _journal?.FilePath ?? Path.Combine(_journalDirectory, RunId + JournalConstants.FileExtension);

    /// <summary>The session's journal, from the start of <see cref="StartCoreAsync"/> until disposal; null before.</summary>
    protected ChaosJournal? SessionJournal => _journal;

    /// <summary>Where the target logs.</summary>
    protected ILogger Logger { get; }

    /// <inheritdoc />
    public async ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started)
            {
                return;
            }

            await PrepareAsync(cancellationToken).ConfigureAwait(false);
            _journal = new ChaosJournal(_journalDirectory, RunId, Name);
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
            try
            {
                await StartCoreAsync(_journal, cancellationToken).ConfigureAwait(false);
                _started = true;
            }
            catch
            {
                await StopAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <inheritdoc />
    public abstract ValueTask<IReadOnlyList<Instance>> GetInstancesAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Uri GetEndpoint(string service);

    /// <inheritdoc />
    public abstract bool Supports(FaultOptions fault, out string? reason);

    /// <inheritdoc />
    public abstract ValueTask<IFaultHandle> InjectAsync(FaultInjection injection, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract ValueTask<SweepReport> SweepAsync(CancellationToken cancellationToken = default);

    /// <summary>Reverts faults in force, removes what the session created, deletes the journal. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        await ReleaseAsync().ConfigureAwait(false);
        _startGate.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>What comes before the journal: connecting, and sweeping what dead sessions left (<see cref="SweepAsync"/>).</summary>
    protected abstract Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Creates the system under test, recording in <paramref name="journal"/> what it creates before creating it.</summary>
    protected abstract Task StartCoreAsync(ChaosJournal journal, CancellationToken cancellationToken);

    /// <summary>Removes what the session created, after its faults were reverted; use <see cref="TryAsync"/> for each part.</summary>
    protected abstract Task StopCoreAsync();

    /// <summary>Releases clients and other resources after the stop.</summary>
    protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    /// <summary>The process is exiting without having disposed the target: remove what would outlive it, quickly.</summary>
    protected virtual void OnOwnerExit()
    {
    }

    /// <summary>Remembers a fault handle given out, so disposal reverts it.</summary>
    protected void Track(IFaultHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_handles)
        {
            _handles.Add(handle);
        }
    }

    /// <summary>Runs one part of the teardown; a failure is logged and the teardown goes on.</summary>
    protected async Task TryAsync(string subject, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Clean-up goes on past a failing part; each failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.StopFailed(Logger, Name, subject, ex);
        }
    }

    private async Task StopAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        IFaultHandle[] handles;
        lock (_handles)
        {
            handles = [.. _handles];
        }

        foreach (var handle in handles)
        {
            await TryAsync("fault " + handle.Injection.Id, () => handle.RevertAsync().AsTask()).ConfigureAwait(false);
        }

        await StopCoreAsync().ConfigureAwait(false);
        _journal?.Delete();
    }

    private void OnProcessExit(object? sender, EventArgs e) => OnOwnerExit();
}
