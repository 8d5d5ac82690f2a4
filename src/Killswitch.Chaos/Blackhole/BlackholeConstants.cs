namespace Killswitch.Chaos;

/// <summary>Defaults and names for <see cref="BlackholeOptions"/>.</summary>
public static class BlackholeConstants
{
    /// <summary>The fault's kind.</summary>
    public const string Kind = "blackhole";

    /// <summary>Default <see cref="FaultOptions.Mode"/>.</summary>
    public static SelectionMode DefaultMode => SelectionMode.All;
}
