using Killswitch.Chaos;
using Killswitch.Flags;

namespace Killswitch.Xunit;

/// <summary>Creates the user's <see cref="ChaosSystem"/> and reads its manifest, with messages that say how to fix what is wrong.</summary>
public static class ChaosSystemLoader
{
    /// <summary>The message of a test assembly that has chaos tests but no system.</summary>
    public const string NoSystemMessage =
        "No system under test is defined for this assembly's chaos tests. Add a class deriving from Killswitch.Xunit.ChaosSystem " +
        "that creates the services (CreateSystem) and names the flag manifest (ManifestPaths), and name it once per assembly: " +
        "[assembly: KillswitchSystem(typeof(MySystem))]. See docs/xunit.md.";

    /// <summary>Creates an instance of <paramref name="systemType"/>.</summary>
    /// <exception cref="ChaosValidationException">It is not a <see cref="ChaosSystem"/> with a public parameterless constructor, or its constructor threw.</exception>
    public static ChaosSystem Create(Type? systemType)
    {
        if (systemType is null)
        {
            throw new ChaosValidationException("[assembly: KillswitchSystem]", ["The system type is null: pass typeof(YourSystem), a class deriving from Killswitch.Xunit.ChaosSystem."]);
        }

        if (!typeof(ChaosSystem).IsAssignableFrom(systemType) || systemType.IsAbstract)
        {
            throw new ChaosValidationException("[assembly: KillswitchSystem]", [$"{systemType.FullName} does not derive from Killswitch.Xunit.ChaosSystem (or is abstract): derive from ChaosSystem and override CreateSystem."]);
        }

        if (systemType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new ChaosValidationException("[assembly: KillswitchSystem]", [$"{systemType.FullName} has no public parameterless constructor: Killswitch creates it; add one."]);
        }

        try
        {
            return (ChaosSystem)Activator.CreateInstance(systemType)!;
        }
        catch (System.Reflection.TargetInvocationException e)
        {
            throw new ChaosValidationException("[assembly: KillswitchSystem]", [$"The constructor of {systemType.FullName} threw {e.InnerException?.GetType().Name}: {e.InnerException?.Message}"]);
        }
    }

    /// <summary>Reads the manifest files the system names, relative paths from <paramref name="baseDirectory"/>.</summary>
    public static LoadedManifest LoadManifest(ChaosSystem system, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(system);
        var paths = system.ManifestPaths;
        if (paths.Count == 0)
        {
            return new LoadedManifest(null, "no manifest", []);
        }

        var full = paths.Select(p => Path.GetFullPath(Path.Combine(baseDirectory, p))).ToArray();
        var name = string.Join(", ", full.Select(Path.GetFileName));
        var problems = new List<string>();
        foreach (var path in full.Where(p => !File.Exists(p)))
        {
            problems.Add($"The flag manifest {path} does not exist: fix ManifestPaths in {system.GetType().Name} (relative paths are taken from the test assembly's folder), or copy the manifest to the output (<None Include=\"flags.json\" CopyToOutputDirectory=\"PreserveNewest\" />).");
        }

        if (problems.Count > 0)
        {
            return new LoadedManifest(null, name, problems);
        }

        var manifest = FlagManifest.Load(full);
        problems.AddRange(manifest.Diagnostics.Select(d => $"{Path.GetFileName(d.Location.FilePath)}({d.Location.Line},{d.Location.Column}): {d.Message}"));
        return new LoadedManifest(manifest, name, problems);
    }
}

/// <summary>A manifest as loaded for the chaos tests.</summary>
/// <param name="Manifest">The flags, or null when there is no manifest or a file is missing.</param>
/// <param name="Name">The files' names, for messages.</param>
/// <param name="Problems">Missing files and manifest errors, one sentence each.</param>
public sealed record LoadedManifest(FlagManifest? Manifest, string Name, IReadOnlyList<string> Problems);
