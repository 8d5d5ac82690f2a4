namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// Condition polling with a deadline, for what has no watch (HTTP answers, pod logs). The chaos core keeps its own
/// copy internal; this is the same contract: checked at least once, and once more at the deadline.
/// </summary>
internal static class Waits
{
    public static async ValueTask<bool> UntilAsync(Func<CancellationToken, ValueTask<bool>> condition, TimeSpan interval, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            if (await condition(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            var left = timeout - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(left < interval ? left : interval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
