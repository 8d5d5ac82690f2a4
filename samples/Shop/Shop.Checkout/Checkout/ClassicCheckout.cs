namespace Shop.Checkout.Checkout;

/// <summary>
/// The checkout flow in production (new-checkout off): each payment attempt has a timeout, and a transient failure (no
/// connection, no answer in time, a 5xx) is retried with a short backoff. A killed payments replica or a slow network
/// costs latency, not orders.
/// </summary>
internal sealed class ClassicCheckout(PaymentsClient payments, TimeProvider time)
{
    /// <summary>The flow's name in responses and the <c>X-Checkout-Flow</c> header.</summary>
    public const string Flow = "classic";

    /// <summary>Attempts per order.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Time one attempt may take.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Pause before the second attempt; doubled before each later one.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Pays <paramref name="order"/>, retrying transient failures.</summary>
    public async Task<CheckoutResult> PlaceAsync(Order order, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var receipt = await payments.AuthorizeAsync(order, AttemptTimeout, cancellationToken);
                return new CheckoutResult(order.OrderId, Flow, attempt, receipt.PaymentId, receipt.Replica, null);
            }
            catch (PaymentFailedException ex) when (ex.Transient && attempt < MaxAttempts)
            {
                await Task.Delay(backoff, time, cancellationToken);
                backoff *= 2;
            }
            catch (PaymentFailedException ex)
            {
                return new CheckoutResult(order.OrderId, Flow, attempt, null, null, ex.Message);
            }
        }
    }
}
