using Killswitch.Chaos;

namespace Killswitch.Xunit;

/// <summary>
/// A chaos case did not pass. The message names the variant and the scenario, says what the steady-state probes saw
/// and where the timeline is; <see cref="Exception.InnerException"/> is what the test body threw, if it threw.
/// </summary>
public sealed class ChaosCaseFailedException : ChaosException
{
    /// <summary>Creates the exception.</summary>
    public ChaosCaseFailedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
