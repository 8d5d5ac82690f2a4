namespace Killswitch.Chaos;

/// <summary>Condition polling with a deadline: the only way the engine waits for something to become true.</summary>
internal static class Waits
{
    /// <summary>
    /// Checks <paramref name="condition"/> until it returns true (returns true) or <paramref name="timeout"/> passes
    /// (returns false). The condition is always checked at least once, and once more at the deadline.
    /// </summary>
    public static async ValueTask<bool> UntilAsync(
        Func<CancellationToken, ValueTask<bool>> condition,
        TimeSpan interval,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            if (await condition(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            var left = timeout - timeProvider.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(left < interval ? left : interval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls a replica's readiness path until it answers 2xx (Ready = true) or <paramref name="exited"/> completes or
    /// <paramref name="timeout"/> passes (Ready = false). <c>Last</c> is the last answer or error, for the message a
    /// target throws. One slow answer (JIT on a busy machine) is not a verdict; the overall deadline is.
    /// </summary>
    public static async ValueTask<(bool Ready, string Last)> UntilReadyAsync(
        HttpClient http,
        Uri readiness,
        Task exited,
        TimeSpan interval,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var last = "no answer yet";
        var ready = await UntilAsync(
            async ct =>
            {
                if (exited.IsCompleted)
                {
                    return true;
                }

                try
                {
                    using var response = await http.GetAsync(readiness, ct).ConfigureAwait(false);
                    last = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException ex)
                {
                    last = ex.Message;
                    return false;
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                    last = "no answer within the per-request timeout";
                    return false;
                }
            },
            interval,
            timeout,
            timeProvider,
            cancellationToken).ConfigureAwait(false);
        return (ready && !exited.IsCompleted, last);
    }

    /// <summary>Waits until <paramref name="token"/> is cancelled, without throwing.</summary>
    public static async Task UntilCancelledAsync(CancellationToken token)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (token.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), tcs).ConfigureAwait(false))
        {
            await tcs.Task.ConfigureAwait(false);
        }
    }
}
