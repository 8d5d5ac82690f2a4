using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Killswitch.Chaos;

/// <summary>The package's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named after the package.</summary>
internal static class ChaosDiagnostics
{
    public const string Name = "Killswitch.Chaos";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> FaultsInjected = Meter.CreateCounter<long>("killswitch.chaos.faults.injected", description: "Faults put in force.");

    public static readonly Counter<long> FaultsReverted = Meter.CreateCounter<long>("killswitch.chaos.faults.reverted", description: "Faults removed.");

    public static readonly Histogram<double> RecoveryTime = Meter.CreateHistogram<double>("killswitch.chaos.recovery.time", unit: "ms", description: "Time from a fault's end until the steady state held again.");
}
