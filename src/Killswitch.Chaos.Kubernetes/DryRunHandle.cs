using System.Globalization;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// <see cref="KubernetesTargetOptions.DryRun"/>: records what the fault would hit in the timeline and the log, changes
/// nothing, and proves nothing (the run is inconclusive, never a pass).
/// </summary>
internal sealed class DryRunHandle(FaultInjection injection, KubernetesTarget target) : IFaultHandle
{
    public FaultInjection Injection { get; } = injection;

    public string Plan { get; } = Describe(injection, target);

    public void Inject()
    {
        Log.DryRun(target.Logger, Injection.Fault.DisplayName, Plan);
        Injection.Timeline.Record(KubernetesEventNames.DryRun, Injection.Fault.DisplayName, Plan);
    }

    public ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new FaultProof(false, $"Dry run (KubernetesTargetOptions.DryRun): nothing was changed. It would have: {Plan}"));

    public ValueTask RevertAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Describe(FaultInjection injection, KubernetesTarget target)
    {
        var pods = string.Join(", ", injection.Instances.Select(i => $"{target.Namespace}/{i.Id}"));
        return injection.Fault switch
        {
            PodKillOptions kill => string.Create(CultureInfo.InvariantCulture, $"delete pod(s) {pods} ({(kill.Force ? "forced, grace 0 s" : $"grace {kill.GracePeriod.TotalSeconds:0} s")})"),
            LatencyOptions latency => string.Create(CultureInfo.InvariantCulture, $"add {latency.Latency.TotalMilliseconds:0} ms ± {latency.Jitter.TotalMilliseconds:0} ms latency ({latency.Direction}) to traffic into pod(s) {pods}{From(latency)} from a helper pod ({target.Options.HelperImage}) on each pod's node"),
            BlackholeOptions => $"blackhole traffic into pod(s) {pods}{From((NetworkFaultOptions)injection.Fault)} from a helper pod ({target.Options.HelperImage}) on each pod's node",
            BandwidthOptions bandwidth => string.Create(CultureInfo.InvariantCulture, $"limit traffic into pod(s) {pods}{From(bandwidth)} to {bandwidth.BytesPerSecond} B/s from a helper pod on each pod's node"),
            _ => $"{injection.Fault.Kind} on pod(s) {pods}",
        };

        static string From(NetworkFaultOptions network) => network.From is null ? string.Empty : $" from service '{network.From}'";
    }
}

/// <summary>Timeline event names the Kubernetes target adds to <see cref="ChaosEventNames"/>.</summary>
public static class KubernetesEventNames
{
    /// <summary>A fault was not injected because the target runs in dry-run mode; the detail says what it would hit.</summary>
    public const string DryRun = "Chaos.Kubernetes.DryRun";

    /// <summary>A helper pod put a network fault in force; the detail names the mechanism (netem or proxy).</summary>
    public const string HelperReady = "Chaos.Kubernetes.HelperReady";

    /// <summary>
    /// A network fault's agent ended without saying it reverted (killed, or too slow), so a one-shot pod removed its
    /// rules from the target pod; the detail says why and how many rules.
    /// </summary>
    public const string RulesSwept = "Chaos.Kubernetes.RulesSwept";
}
