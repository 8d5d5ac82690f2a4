using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// One test run of an assembly: the system definition, its manifest, the chosen target, the shared
/// <see cref="ChaosHost"/>, and the collected results for the report. Created when the run starts, finished (system
/// stopped, report written) when it ends. When the session cannot be set up, <see cref="Problem"/> says why and every
/// case fails with it.
/// </summary>
public sealed class ChaosSession : IAsyncDisposable
{
    private static ChaosSession? s_current;

    private ChaosSession(string reportDirectory, string? reportTitle, ChaosHost? host, string? problem)
    {
        ReportDirectory = reportDirectory;
        ReportTitle = reportTitle;
        Host = host;
        Problem = problem;
    }

    /// <summary>The session of the running test assembly, or null outside a run.</summary>
    public static ChaosSession? Current => Volatile.Read(ref s_current);

    /// <summary>The shared system; null when <see cref="Problem"/> is set.</summary>
    public ChaosHost? Host { get; }

    /// <summary>Why no case can run (the system type cannot be created, the target is unknown ...), or null.</summary>
    public string? Problem { get; }

    /// <summary>Where timelines and the report go.</summary>
    public string ReportDirectory { get; }

    /// <summary>The report's title, or null for the default.</summary>
    public string? ReportTitle { get; }

    /// <summary>Every case's result, for the report.</summary>
    public ChaosReportCollector Collector { get; } = new();

    /// <summary>Creates the session of <paramref name="systemType"/> and makes it <see cref="Current"/>.</summary>
    /// <param name="systemType">The <see cref="ChaosSystem"/> subclass.</param>
    /// <param name="assemblyDirectory">The test assembly's folder: relative manifest paths and target packages are found there.</param>
    /// <param name="reportDirectory">The configured report directory, or null (see <see cref="ChaosReportLocation"/>).</param>
    /// <param name="reportTitle">The configured report title, or null.</param>
    public static ChaosSession Start(Type systemType, string assemblyDirectory, string? reportDirectory, string? reportTitle)
    {
        ArgumentNullException.ThrowIfNull(systemType);
        var directory = ChaosReportLocation.Resolve(reportDirectory, assemblyDirectory);
        ChaosSession session;
        try
        {
            var system = ChaosSystemLoader.Create(systemType);
            var manifest = ChaosSystemLoader.LoadManifest(system, assemblyDirectory);
            var registry = new ChaosTargetRegistry();
            registry.AddFromAssemblies(assemblyDirectory);
            system.ConfigureTargets(registry);
            var factory = registry.Get(ChaosTargetRegistry.SelectedName());
            var host = new ChaosHost(system, manifest.Manifest, factory, new ChaosHostOptions { ReportDirectory = directory, Seed = ChaosHostOptions.SeedFromEnvironment() });
            session = new ChaosSession(directory, reportTitle, host, null);
        }
        catch (ChaosException e)
        {
            session = new ChaosSession(directory, reportTitle, null, e.Message);
        }

        Volatile.Write(ref s_current, session);
        return session;
    }

    /// <summary>Stops the system and clears <see cref="Current"/>. Writing the report is the caller's next step.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.CompareExchange(ref s_current, null, this);
        if (Host is not null)
        {
            await Host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
