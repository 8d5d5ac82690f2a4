using System.Globalization;

namespace Killswitch.Xunit;

/// <summary>
/// The base of the fault attributes (<see cref="PodKillAttribute"/>, <see cref="LatencyAttribute"/>, ...): which
/// instances a fault acts on and when. Each fault attribute adds one chaos scenario to a <see cref="ChaosFactAttribute"/>
/// test (or, with <see cref="ChaosFactAttribute.Combine"/>, all of them make one scenario). Options are checked when
/// tests are discovered: invalid options make a failing case that lists every problem.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public abstract class FaultAttribute : Attribute
{
    private protected FaultAttribute(string selector)
    {
        Selector = selector;
    }

    /// <summary>The Kubernetes label selector choosing the instances (<c>app=payments</c>).</summary>
    public string Selector { get; }

    /// <summary>A name for the scenario in case names and reports. Default: <c>Kind selector</c> (<c>PodKill app=payments</c>).</summary>
    public string? Name { get; set; }

    /// <summary>How many matched instances are hit. Default <see cref="ChaosMode.Default"/>: the fault's own default.</summary>
    public ChaosMode Mode { get; set; }

    /// <summary>The count (<see cref="ChaosMode.Fixed"/>) or percentage (the percent modes). Ignored by the other modes.</summary>
    public double ModeValue { get; set; }

    /// <summary>Milliseconds from the test body's start to the injection. Default 0: inject as the body starts.</summary>
    public int StartAfterMilliseconds { get; set; }

    /// <summary>Milliseconds the fault stays in force. Default 0: until the test body returns.</summary>
    public int DurationMilliseconds { get; set; }

    /// <summary>The fault's kind as case names show it (<c>PodKill</c>, <c>Latency</c> ...): the <c>Chaos</c> trait's value.</summary>
    public abstract string Kind { get; }

    /// <summary>The fault as data: what a test case serializes and builds the fault options from at run time.</summary>
    public FaultSpec ToSpec()
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Mode != ChaosMode.Default)
        {
            settings[FaultSpec.ModeSetting] = Mode switch
            {
                ChaosMode.One => "one",
                ChaosMode.All => "all",
                ChaosMode.Fixed => "fixed:" + ModeValue.ToString(CultureInfo.InvariantCulture),
                ChaosMode.FixedPercent => "fixed-percent:" + ModeValue.ToString(CultureInfo.InvariantCulture),
                ChaosMode.RandomMaxPercent => "random-max-percent:" + ModeValue.ToString(CultureInfo.InvariantCulture),
                _ => "invalid:" + ((int)Mode).ToString(CultureInfo.InvariantCulture),
            };
        }

        if (StartAfterMilliseconds != 0)
        {
            settings[FaultSpec.StartAfterSetting] = Format(StartAfterMilliseconds);
        }

        if (DurationMilliseconds != 0)
        {
            settings[FaultSpec.DurationSetting] = Format(DurationMilliseconds);
        }

        AddSettings(settings);
        return new FaultSpec(Kind, Selector ?? string.Empty, Name, settings);
    }

    /// <summary>Adds the fault's own settings (option name → invariant text).</summary>
    private protected abstract void AddSettings(IDictionary<string, string> settings);

    private protected static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Network faults: optionally only on the edge from one calling service.</summary>
public abstract class NetworkFaultAttribute : FaultAttribute
{
    private protected NetworkFaultAttribute(string selector)
        : base(selector)
    {
    }

    /// <summary>The calling service whose edge is affected (<c>checkout</c>). Default: every path into the instances.</summary>
    public string? From { get; set; }

    private protected void AddFrom(IDictionary<string, string> settings)
    {
        if (From is not null)
        {
            settings[FaultSpec.FromSetting] = From;
        }
    }
}
