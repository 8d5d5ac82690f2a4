using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using Killswitch.Build.Tests.Infrastructure;

namespace Killswitch.Build.Tests.EndToEnd;

/// <summary>
/// Packs src/Killswitch.Build once per test run, with a unique version, into a temporary feed; consumers restore
/// from it into a shared temporary packages folder (so restores after the first are quick and nothing lands in the
/// user's NuGet cache).
/// </summary>
public sealed class PackedKillswitchFixture : IDisposable
{
    private readonly TemporaryDirectory _directory = new("e2e");

    public PackedKillswitchFixture()
    {
        var metadata = typeof(PackedKillswitchFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        RepositoryRoot = metadata["Killswitch.RepoRoot"]!;
        var configuration = metadata["Killswitch.Configuration"]!;
        Version = "0.0.0-e2e." + Guid.NewGuid().ToString("N")[..12];
        Feed = _directory.Combine("feed");
        Packages = _directory.Combine("packages");
        Directory.CreateDirectory(Feed);

        // PackageVersion (not Version) leaves the assemblies as the test build made them, so nothing recompiles.
        var pack = Dotnet(
            RepositoryRoot,
            "pack", Path.Combine(RepositoryRoot, "src", "Killswitch.Build", "Killswitch.Build.csproj"),
            "-c", configuration, "--no-restore", "-o", Feed, "-p:PackageVersion=" + Version);
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException("Packing Killswitch.Build failed:" + Environment.NewLine + pack.All);
        }

        Package = Path.Combine(Feed, $"Killswitch.Build.{Version}.nupkg");
        using var archive = ZipFile.OpenRead(Package);
        PackageEntries = archive.Entries.Select(e => e.FullName).ToList();
    }

    public string RepositoryRoot { get; }

    public string Version { get; }

    public string Feed { get; }

    public string Packages { get; }

    public string Package { get; }

    public IReadOnlyList<string> PackageEntries { get; }

    public string Root => _directory.Path;

    /// <summary>
    /// Runs the dotnet CLI without what the surrounding `dotnet test` leaks into the environment (MSBuild's own
    /// variables) and without CI variables that would change the base ref Killswitch detects.
    /// </summary>
    internal static ProcessResult Dotnet(string workingDirectory, params string[] arguments) =>
        Dotnet(workingDirectory, new Dictionary<string, string?>(), arguments);

    internal static ProcessResult Dotnet(string workingDirectory, IDictionary<string, string?> environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) && name != "MSBUILDDISABLENODEREUSE")
            {
                variables[name] = null;
            }
        }

        foreach (var name in new[] { "GITHUB_BASE_REF", "GITHUB_STEP_SUMMARY", "SYSTEM_PULLREQUEST_TARGETBRANCH", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "BITBUCKET_PR_DESTINATION_BRANCH", "CHANGE_TARGET" })
        {
            variables[name] = null;
        }

        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return ProcessRunner.Run("dotnet", arguments, workingDirectory, variables, TimeSpan.FromMinutes(5));
    }

    public void Dispose() => _directory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EndToEndGroup : ICollectionFixture<PackedKillswitchFixture>
{
    public const string Name = "End to end";
}
