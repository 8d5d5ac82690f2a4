namespace Killswitch.Chaos;

/// <summary>
/// A partition: connections into the selected instances are accepted but no byte gets through either way (Toxiproxy
/// timeout, Chaos Mesh partition). Callers see timeouts, not errors. The proof is that bytes were swallowed.
/// </summary>
public sealed class BlackholeOptions : NetworkFaultOptions
{
    /// <summary>Creates the options with their defaults.</summary>
    public BlackholeOptions()
        : base(BlackholeConstants.Kind, BlackholeConstants.DefaultMode)
    {
    }

    /// <summary>Close a blackholed connection after this long; <see langword="null"/> (default) = hold it open until revert.</summary>
    public TimeSpan? CloseAfter { get; set; }

    private protected override void ValidateCore(List<string> errors, string prefix)
    {
        if (CloseAfter is { } closeAfter && closeAfter <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}: CloseAfter must be greater than zero when set (was {Format(closeAfter)}).");
        }
    }
}
