using Microsoft.Extensions.Logging;

namespace Killswitch.Chaos;

/// <summary>Services the runner uses.</summary>
public sealed class ChaosRunnerOptions
{
    /// <summary>The clock for every wait, timestamp and timeout. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the runner logs. Default: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The handler under the clients given to the workload and probes. Default: a <see cref="SocketsHttpHandler"/> with
    /// short-lived pooled connections, so traffic spreads over replacements after a PodKill.
    /// </summary>
    public Func<HttpMessageHandler>? PrimaryHandlerFactory { get; set; }
}
