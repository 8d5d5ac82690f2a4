using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// A scenario that swallows every byte to and from the instances matched by the selector (a partition: callers see
/// timeouts). Maps to <see cref="BlackholeOptions"/> (docs/chaos/blackhole.md).
/// </summary>
/// <example><code>[Blackhole("app=payments", From = "checkout", DurationMilliseconds = 2000)]</code></example>
public sealed class BlackholeAttribute : NetworkFaultAttribute
{
    /// <summary>Blackholes traffic into instances matched by <paramref name="selector"/>.</summary>
    public BlackholeAttribute(string selector)
        : base(selector)
    {
    }

    /// <inheritdoc />
    public override string Kind => "Blackhole";

    /// <summary>Close a blackholed connection after this many milliseconds. Default 0: hold it open until revert.</summary>
    public int CloseAfterMilliseconds { get; set; }

    private protected override void AddSettings(IDictionary<string, string> settings)
    {
        AddFrom(settings);
        if (CloseAfterMilliseconds != 0)
        {
            settings[FaultSpec.CloseAfterSetting] = Format(CloseAfterMilliseconds);
        }
    }
}
