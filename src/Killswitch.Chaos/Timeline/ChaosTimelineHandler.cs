namespace Killswitch.Chaos;

/// <summary>
/// Records every request sent through it in a <see cref="ChaosTimeline"/>: latency and status, or the error. The
/// runner puts one in front of every <see cref="HttpClient"/> it gives the workload and the probes.
/// </summary>
public sealed class ChaosTimelineHandler : DelegatingHandler
{
    private readonly ChaosTimeline _timeline;

    /// <summary>Creates the handler; set <see cref="DelegatingHandler.InnerHandler"/> or pass it here.</summary>
    public ChaosTimelineHandler(ChaosTimeline timeline, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        _timeline = timeline;
        if (innerHandler is not null)
        {
            InnerHandler = innerHandler;
        }
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var clock = _timeline.TimeProvider;
        var started = clock.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            _timeline.Record(ChaosEventNames.Request, request.RequestUri?.ToString(), null, clock.GetElapsedTime(started), (int)response.StatusCode);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            _timeline.Record(ChaosEventNames.RequestFailed, request.RequestUri?.ToString(), ex.GetType().Name + ": " + ex.Message, clock.GetElapsedTime(started));
            throw;
        }
    }
}
