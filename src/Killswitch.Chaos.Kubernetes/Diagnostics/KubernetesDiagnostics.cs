using System.Diagnostics;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>The package's one <see cref="ActivitySource"/>, named after the package.</summary>
internal static class KubernetesDiagnostics
{
    public const string Name = "Killswitch.Chaos.Kubernetes";

    public static readonly ActivitySource ActivitySource = new(Name);
}
