using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>Every log message of the package, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Kubernetes target {RunId} connected to context {Context} ({Source}), namespace {Namespace}")]
    public static partial void Connected(ILogger logger, string runId, string context, string source, string @namespace);

    [LoggerMessage(2, LogLevel.Information, "Deployment {Namespace}/{Name} rolled out in {Milliseconds} ms")]
    public static partial void RolledOut(ILogger logger, string @namespace, string name, double milliseconds);

    [LoggerMessage(3, LogLevel.Information, "Pod {Pod} deleted (grace period {GraceSeconds} s)")]
    public static partial void PodDeleted(ILogger logger, string pod, long graceSeconds);

    [LoggerMessage(4, LogLevel.Information, "Dry run: fault {Fault} would hit {Targets}")]
    public static partial void DryRun(ILogger logger, string fault, string targets);

    [LoggerMessage(5, LogLevel.Information, "Swept: {Detail}")]
    public static partial void Swept(ILogger logger, string detail);

    [LoggerMessage(6, LogLevel.Warning, "Journal {Path} could not be read and was left in place")]
    public static partial void JournalUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "Helper pod {Pod} put {Fault} in force with mechanism {Mechanism}")]
    public static partial void HelperReady(ILogger logger, string pod, string fault, string mechanism);
}
