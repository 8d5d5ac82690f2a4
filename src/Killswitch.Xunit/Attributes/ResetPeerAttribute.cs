using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// A scenario that resets connections into the instances matched by the selector (TCP RST, Toxiproxy reset_peer).
/// Maps to <see cref="ResetPeerOptions"/> (docs/chaos/reset-peer.md).
/// </summary>
/// <example><code>[ResetPeer("app=payments", ResetAfterMilliseconds = 100)]</code></example>
public sealed class ResetPeerAttribute : NetworkFaultAttribute
{
    /// <summary>Resets connections into instances matched by <paramref name="selector"/>.</summary>
    public ResetPeerAttribute(string selector)
        : base(selector)
    {
    }

    /// <inheritdoc />
    public override string Kind => "ResetPeer";

    /// <summary>Milliseconds a new connection lives before it is reset. Default 0: at once.</summary>
    public int ResetAfterMilliseconds { get; set; }

    private protected override void AddSettings(IDictionary<string, string> settings)
    {
        AddFrom(settings);
        if (ResetAfterMilliseconds != 0)
        {
            settings[FaultSpec.ResetAfterSetting] = Format(ResetAfterMilliseconds);
        }
    }
}
