namespace Killswitch.Flags;

/// <summary>One named value a flag can serve.</summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
sealed class FlagVariant
{
    internal FlagVariant(string name, FlagValue value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The variant's name: what targeting returns and what <c>defaultVariant</c> names.</summary>
    public string Name { get; }

    /// <summary>The value served; its <see cref="FlagValue.Kind"/> matches the flag's <see cref="FlagDefinition.Type"/>.</summary>
    public FlagValue Value { get; }

    /// <summary>Returns <c>name=value</c>, e.g. <c>on=true</c>.</summary>
    public override string ToString() => Name + "=" + Value.ToJson();
}
