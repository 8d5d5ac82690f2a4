using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Docker;

/// <summary>Every log message of the package, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Replica {Instance} started as container {Container} at {Address}")]
    public static partial void ReplicaStarted(ILogger logger, string instance, string container, string address);

    [LoggerMessage(2, LogLevel.Information, "Replica {Instance} (container {Container}) exited with code {ExitCode}")]
    public static partial void ReplicaExited(ILogger logger, string instance, string container, long exitCode);

    [LoggerMessage(3, LogLevel.Information, "Replica {Instance} replaced by {Replacement} in {Milliseconds} ms")]
    public static partial void ReplicaReplaced(ILogger logger, string instance, string replacement, double milliseconds);

    [LoggerMessage(4, LogLevel.Warning, "Replacing replica {Instance} failed")]
    public static partial void ReplacementFailed(ILogger logger, string instance, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "The Docker event stream of session {RunId} failed: killed replicas are no longer replaced")]
    public static partial void EventStreamFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Fault {Fault} in force on {Instance} through the network agent ({Mechanism})")]
    public static partial void AgentInjected(ILogger logger, string fault, string instance, string mechanism);

    [LoggerMessage(8, LogLevel.Information, "Swept {Details}")]
    public static partial void Swept(ILogger logger, string details);

    [LoggerMessage(9, LogLevel.Warning, "Journal {Path} could not be read and was left in place")]
    public static partial void JournalUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Replica {Instance} (container {Container}) still refuses new connections to {Address}: lifting the drain failed ({Why}); the rule goes when the container does")]
    public static partial void DrainLiftFailed(ILogger logger, string instance, string container, string address, string why);
}
