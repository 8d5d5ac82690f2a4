using System.Text.Json.Nodes;

namespace Killswitch.Chaos.Agent;

/// <summary>
/// Blackhole as a network partition of the port: iptables DROP both ways (<see cref="AgentRules.AddDropAsync"/>), so
/// connections opened before the fault stall too, unlike the proxy, which only sees new ones. Evidence: the rules'
/// counters (packets dropped; bytes dropped on the way in, headers included). Revert removes the rules; TCP then
/// delivers what it kept retransmitting.
/// </summary>
internal sealed class DropInjection : IInjection
{
    private readonly string _tag;
    private int _disposed;

    private DropInjection(string tag) => _tag = tag;

    public string Mechanism => "drop";

    public static async Task<DropInjection> StartAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        var injection = new DropInjection(command.Tag);
        try
        {
            await AgentRules.AddDropAsync(command.Tag, command.Port, command.From, cancellationToken);
            return injection;
        }
        catch
        {
            await injection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<JsonObject> StatsAsync(CancellationToken cancellationToken)
    {
        var counters = await AgentRules.CountersAsync(_tag, cancellationToken);
        var into = counters.GetValueOrDefault("INPUT");
        var outOf = counters.GetValueOrDefault("OUTPUT");
        return new JsonObject
        {
            ["hits"] = into.Packets + outOf.Packets,
            ["bytesSwallowed"] = into.Bytes,
            ["packetsIn"] = into.Packets,
            ["packetsOut"] = outOf.Packets,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await AgentRules.RemoveAsync(_tag, CancellationToken.None);
    }
}
