namespace Killswitch.Chaos;

/// <summary>Defaults and names for <see cref="ResetPeerOptions"/>.</summary>
public static class ResetPeerConstants
{
    /// <summary>The fault's kind.</summary>
    public const string Kind = "reset-peer";

    /// <summary>Default <see cref="FaultOptions.Mode"/>.</summary>
    public static SelectionMode DefaultMode => SelectionMode.All;
}
