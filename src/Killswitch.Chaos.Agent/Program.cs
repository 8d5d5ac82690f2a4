using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Killswitch.Chaos;
using Killswitch.Chaos.Agent;

var command = AgentCommand.Parse(args, out var errors);
if (errors.Count > 0)
{
    Emit("error", new JsonObject { ["message"] = string.Join(" ", errors) });
    await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, errors) + Environment.NewLine + Environment.NewLine + AgentCommand.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

return command.Verb switch
{
    "probe" => await ProbeAsync(command),
    "sweep" => await SweepAsync(command),
    "drain" => await DrainAsync(command),
    _ => await InjectAsync(command, stop.Token),
};

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

static async Task<int> InjectAsync(AgentCommand command, CancellationToken stop)
{
    IInjection injection;
    var unavailable = new JsonObject();
    try
    {
        injection = await ChooseAsync(command, unavailable, stop);
    }
    catch (Exception ex) when (ex is AgentException or System.Net.Sockets.SocketException or OperationCanceledException)
    {
        Emit("error", new JsonObject { ["tag"] = command.Tag, ["message"] = ex.Message });
        return 3;
    }

    await using (injection)
    {
        var ready = new JsonObject { ["tag"] = command.Tag, ["mechanism"] = injection.Mechanism, ["fault"] = command.Fault!.Kind, ["port"] = command.Port };
        if (injection is ProxyInjection proxy)
        {
            ready["proxyPort"] = proxy.ProxyPort;
        }

        if (injection is NfqueueInjection queue)
        {
            ready["queue"] = queue.Queue;
        }

        foreach (var (key, value) in unavailable.ToArray())
        {
            unavailable.Remove(key);
            ready[key] = value;
        }

        Emit("ready", ready);
        var owner = command.OwnerPid is { } pid ? ProcessIdentity.Of(pid) : null;
        if (command.OwnerPid is not null && owner is null)
        {
            Emit("error", new JsonObject { ["tag"] = command.Tag, ["message"] = $"--owner-pid {command.OwnerPid} is not running: reverting at once." });
        }
        else
        {
            var last = string.Empty;
            using var timer = new PeriodicTimer(command.StatsInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    if (owner is not null && !owner.IsAlive())
                    {
                        Emit("owner-gone", new JsonObject { ["tag"] = command.Tag, ["ownerPid"] = owner.Pid });
                        break;
                    }

                    var stats = await injection.StatsAsync(stop);
                    var text = stats.ToJsonString();
                    if (text != last)
                    {
                        last = text;
                        stats["tag"] = command.Tag;
                        Emit("stats", stats);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // SIGTERM or SIGINT: revert below.
            }
        }

        var final = await injection.StatsAsync(CancellationToken.None);
        final["tag"] = command.Tag;
        Emit("stats", final);
    }

    Emit("reverted", new JsonObject { ["tag"] = command.Tag });
    return 0;
}

// Latency: netem where the kernel has it and the fault fits it (downstream, whole namespace), else nfqueue (every
// connection of the port, those opened before the fault too), else the proxy (new connections only). Blackhole: drop. A mechanism
// asked for by name is used or the agent fails; auto says in the ready line why it passed over netem and nfqueue.
static async Task<IInjection> ChooseAsync(AgentCommand command, JsonObject unavailable, CancellationToken stop)
{
    if (command.Fault is LatencyOptions latency)
    {
        var auto = command.Mechanism == Mechanism.Auto;
        var netemFits = latency.Direction == TrafficDirection.Downstream && command.From.Count == 0;
        if (command.Mechanism == Mechanism.Netem || (auto && netemFits))
        {
            var (netem, why) = await NetemInjection.TryStartAsync(command.Interface, latency, stop);
            if (netem is not null)
            {
                return netem;
            }

            if (!auto)
            {
                throw new AgentException(why + " This kernel has no netem: use --mechanism nfqueue, proxy or auto.");
            }

            unavailable["netemUnavailable"] = why;
        }

        if (command.Mechanism == Mechanism.Nfqueue || auto)
        {
            try
            {
                return await NfqueueInjection.StartAsync(command, latency, stop);
            }
            catch (AgentException ex) when (auto)
            {
                unavailable["nfqueueUnavailable"] = ex.Message;
            }
        }
    }

    // Blackhole: a partition (iptables DROP both ways, every connection of the port) unless it must close connections
    // after a while, which only the proxy can do.
    if (command.Fault is BlackholeOptions { CloseAfter: null } && command.Mechanism is Mechanism.Auto or Mechanism.Drop)
    {
        return await DropInjection.StartAsync(command, stop);
    }

    return await ProxyInjection.StartAsync(command, stop);
}

static async Task<int> DrainAsync(AgentCommand command)
{
    try
    {
        await AgentRules.AddDrainAsync(command.Tag, command.Port, command.To, CancellationToken.None);
        Emit("draining", new JsonObject { ["tag"] = command.Tag, ["port"] = command.Port, ["to"] = new JsonArray([.. command.To.Select(a => JsonValue.Create(a))]) });
        return 0;
    }
    catch (AgentException ex)
    {
        Emit("error", new JsonObject { ["tag"] = command.Tag, ["message"] = ex.Message });
        return 3;
    }
}

static async Task<int> SweepAsync(AgentCommand command)
{
    var tag = command.Tag.Length == 0 ? null : command.Tag;
    try
    {
        var rules = await AgentRules.RemoveAsync(tag, CancellationToken.None);
        var netem = tag is null && await NetemInjection.RemoveAsync(command.Interface, CancellationToken.None);
        Emit("swept", new JsonObject { ["tag"] = tag, ["rules"] = rules, ["netem"] = netem });
        return 0;
    }
    catch (AgentException ex)
    {
        Emit("error", new JsonObject { ["message"] = ex.Message });
        return 3;
    }
}

static async Task<int> ProbeAsync(AgentCommand command)
{
    var (iptablesCode, iptables) = await Shell.RunAsync("iptables", ["-w", "5", "-t", "nat", "-S", "PREROUTING"]);
    var netem = await NetemInjection.TryStartAsync(command.Interface, new LatencyOptions { Latency = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);
    if (netem.Injection is not null)
    {
        await netem.Injection.DisposeAsync();
    }

    var nfqueue = iptablesCode == 0 ? await NfqueueInjection.ProbeAsync(CancellationToken.None) : "iptables is unavailable";
    Emit("probe", new JsonObject
    {
        ["iptables"] = iptablesCode == 0,
        ["iptablesDetail"] = iptablesCode == 0 ? null : iptables,
        ["netem"] = netem.Injection is not null,
        ["netemDetail"] = netem.Unavailable,
        ["nfqueue"] = nfqueue is null,
        ["nfqueueDetail"] = nfqueue,
        ["mechanism"] = netem.Injection is not null ? "netem" : nfqueue is null ? "nfqueue" : iptablesCode == 0 ? "proxy" : null,
    });
    return iptablesCode == 0 ? 0 : 3;
}

static void Emit(string name, JsonObject body)
{
    var line = new JsonObject { ["event"] = name };
    foreach (var (key, value) in body.ToArray())
    {
        body.Remove(key);
        line[key] = value;
    }

    Console.Out.WriteLine(line.ToJsonString(Json));
    Console.Out.Flush();
}

internal static partial class Program
{
    // Readable quotes in messages: the lines are read by people as well as by the targets.
    private static readonly System.Text.Json.JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
