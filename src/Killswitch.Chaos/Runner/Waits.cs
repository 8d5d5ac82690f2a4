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
