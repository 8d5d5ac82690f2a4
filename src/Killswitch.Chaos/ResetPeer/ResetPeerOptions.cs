namespace Killswitch.Chaos;

/// <summary>
/// Aborts connections into the selected instances with a TCP RST (Toxiproxy reset_peer): open connections are reset
/// when the fault is injected, new ones after <see cref="ResetAfter"/>. The proof is that at least one connection was reset.
/// </summary>
public sealed class ResetPeerOptions : NetworkFaultOptions
{
    /// <summary>Creates the options with their defaults.</summary>
    public ResetPeerOptions()
        : base(ResetPeerConstants.Kind, ResetPeerConstants.DefaultMode)
    {
    }

    /// <summary>How long a new connection lives before it is reset (Toxiproxy's timeout). Default zero: at once.</summary>
    public TimeSpan ResetAfter { get; set; }

    private protected override void ValidateCore(List<string> errors, string prefix)
    {
        if (ResetAfter < TimeSpan.Zero)
        {
            errors.Add($"{prefix}: ResetAfter must not be negative (was {Format(ResetAfter)}).");
        }
    }
}
