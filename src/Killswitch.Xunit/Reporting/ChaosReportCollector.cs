using System.Collections.Concurrent;

namespace Killswitch.Xunit;

/// <summary>
/// Collects every case's result during a test run, in completion order, for the resilience report written when the
/// run ends. Thread-safe.
/// </summary>
public sealed class ChaosReportCollector
{
    private readonly ConcurrentQueue<ChaosReportEntry> _entries = new();

    /// <summary>The entries so far, in completion order.</summary>
    public IReadOnlyList<ChaosReportEntry> Entries => [.. _entries];

    /// <summary>Adds a case's result under the display name the test framework shows.</summary>
    public void Add(ChaosCaseResult result, string displayName)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(displayName);
        _entries.Enqueue(new ChaosReportEntry(result, displayName));
    }
}

/// <summary>One case of the report.</summary>
/// <param name="Result">What running it found.</param>
/// <param name="DisplayName">The name the test framework shows.</param>
public sealed record ChaosReportEntry(ChaosCaseResult Result, string DisplayName);

/// <summary>Where the report goes: <c>KILLSWITCH_REPORT_DIR</c>, else the assembly attribute's value, else <c>TestResults/killswitch</c>.</summary>
public static class ChaosReportLocation
{
    /// <summary>The environment variable overriding the report directory.</summary>
    public const string DirectoryVariable = "KILLSWITCH_REPORT_DIR";

    /// <summary>The default, relative to the repository root.</summary>
    public const string DefaultDirectory = "TestResults/killswitch";

    /// <summary>
    /// Resolves the directory: the first of <c>KILLSWITCH_REPORT_DIR</c>, <paramref name="configured"/> and
    /// <see cref="DefaultDirectory"/> that is set; a relative path is taken from the repository root, the nearest folder
    /// at or above <paramref name="startDirectory"/> holding <c>.git</c> (a folder, or a file in a worktree), else from
    /// the current directory.
    /// </summary>
    public static string Resolve(string? configured, string startDirectory, Func<string, string?>? environment = null)
    {
        var value = (environment ?? Environment.GetEnvironmentVariable)(DirectoryVariable);
        var path = !string.IsNullOrWhiteSpace(value) ? value : !string.IsNullOrWhiteSpace(configured) ? configured : DefaultDirectory;
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }

        return Path.GetFullPath(Path.Combine(FindRepositoryRoot(startDirectory) ?? Directory.GetCurrentDirectory(), path));
    }

    /// <summary>The nearest folder at or above <paramref name="directory"/> holding <c>.git</c>, or null.</summary>
    public static string? FindRepositoryRoot(string directory)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            var git = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return current.FullName;
            }
        }

        return null;
    }
}
