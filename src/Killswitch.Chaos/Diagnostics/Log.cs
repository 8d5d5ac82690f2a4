using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos;

/// <summary>Every log message of the package, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Chaos run '{Scenario}' started with seed {Seed} on target {Target} ({RunId})")]
    public static partial void RunStarted(ILogger logger, string scenario, int seed, string target, string runId);

    [LoggerMessage(2, LogLevel.Information, "Chaos run '{Scenario}' ended: {Verdict}. {Reasons}")]
    public static partial void RunEnded(ILogger logger, string scenario, Verdict verdict, string reasons);

    [LoggerMessage(3, LogLevel.Information, "Fault {Fault} injected on {Instances}")]
    public static partial void FaultInjected(ILogger logger, string fault, string instances);

    [LoggerMessage(4, LogLevel.Information, "Fault {Fault} reverted")]
    public static partial void FaultReverted(ILogger logger, string fault);

    [LoggerMessage(5, LogLevel.Warning, "Reverting fault {Fault} failed")]
    public static partial void RevertFailed(ILogger logger, string fault, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Replica {Instance} (pid {Pid}) started on port {Port}")]
    public static partial void ReplicaStarted(ILogger logger, string instance, int pid, int port);

    [LoggerMessage(7, LogLevel.Information, "Replica {Instance} exited with code {ExitCode}")]
    public static partial void ReplicaExited(ILogger logger, string instance, int exitCode);

    [LoggerMessage(8, LogLevel.Information, "Replica {Instance} replaced by {Replacement} in {Milliseconds} ms")]
    public static partial void ReplicaReplaced(ILogger logger, string instance, string replacement, double milliseconds);

    [LoggerMessage(9, LogLevel.Warning, "Replacing replica {Instance} failed")]
    public static partial void ReplacementFailed(ILogger logger, string instance, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Swept session {RunId} of dead owner pid {OwnerPid}: {Details}")]
    public static partial void Swept(ILogger logger, string runId, int ownerPid, string details);

    [LoggerMessage(11, LogLevel.Warning, "Journal {Path} could not be read and was left in place")]
    public static partial void JournalUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(12, LogLevel.Debug, "Proxy {Proxy} connection failed")]
    public static partial void ProxyConnectionFailed(ILogger logger, string proxy, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "Replica {Instance} could not bind port {Port}, which another process took after it was picked; starting it again on another port (attempt {Attempt} of {Attempts})")]
    public static partial void ReplicaLostPort(ILogger logger, string instance, int port, int attempt, int attempts);

    [LoggerMessage(13, LogLevel.Warning, "Stopping the {Target} target failed for {Subject}")]
    public static partial void StopFailed(ILogger logger, string target, string subject, Exception exception);
}
