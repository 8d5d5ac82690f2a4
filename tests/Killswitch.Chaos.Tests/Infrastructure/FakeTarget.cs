namespace Killswitch.Chaos.Tests.Infrastructure;

/// <summary>A target with fixed instances whose faults record what happened and prove what the test says.</summary>
internal sealed class FakeTarget(params Instance[] instances) : IChaosTarget
{
    public List<string> Log { get; } = [];

    public bool ProofTookEffect { get; set; } = true;

    public List<FaultInjection> Injections { get; } = [];

    public string Name => "fake";

    public string RunId => "fake-run";

    public int InForce { get; private set; }

    public static Instance Make(string id, string app) =>
        new(id, app, new Dictionary<string, string> { ["app"] = app, [ServiceConstants.ServiceLabel] = app }, new Uri($"http://127.0.0.1:1/{id}/"), InstanceState.Ready);

    public ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        Log.Add("start");
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<Instance>> GetInstancesAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<Instance>>(instances);

    public Uri GetEndpoint(string service) => new($"http://127.0.0.1:1/{service}/");

    public bool Supports(FaultOptions fault, out string? reason)
    {
        reason = fault is BandwidthOptions ? "no bandwidth here" : null;
        return reason is null;
    }

    /// <summary>Injections wait for this first (a target whose helper takes a while to start).</summary>
    public Task InjectGate { get; set; } = Task.CompletedTask;

    public async ValueTask<IFaultHandle> InjectAsync(FaultInjection injection, CancellationToken cancellationToken = default)
    {
        await InjectGate.WaitAsync(cancellationToken);
        Injections.Add(injection);
        InForce++;
        Log.Add($"inject {injection.Id} on {string.Join(",", injection.Instances.Select(i => i.Id))}");
        return new Handle(this, injection);
    }

    public ValueTask<SweepReport> SweepAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(SweepReport.Empty);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Handle(FakeTarget target, FaultInjection injection) : IFaultHandle
    {
        private bool _reverted;

        public FaultInjection Injection => injection;

        public ValueTask<FaultProof> VerifyAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new FaultProof(target.ProofTookEffect, target.ProofTookEffect ? "seen" : "no traffic crossed the edge", target.ProofTookEffect ? TimeSpan.FromMilliseconds(7) : null));

        public ValueTask RevertAsync(CancellationToken cancellationToken = default)
        {
            if (!_reverted)
            {
                _reverted = true;
                target.InForce--;
                target.Log.Add($"revert {injection.Id}");
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => RevertAsync();
    }
}
