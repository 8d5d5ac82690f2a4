namespace Killswitch.Flags;

/// <summary>The flagd <c>state</c> of a flag.</summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
enum FlagState
{
    /// <summary><c>"ENABLED"</c>: the flag is evaluated.</summary>
    Enabled,

    /// <summary><c>"DISABLED"</c>: flagd behaves as if the flag did not exist, so callers get their code default.</summary>
    Disabled,
}
