namespace Shop.Checkout.Checkout;

/// <summary>
/// The new checkout flow, behind the <c>new-checkout</c> flag: a one-page checkout that must answer fast, so it gives
/// payments a single call with a tight budget and no retry. On a healthy system it is as good as the classic flow;
/// when a payments replica dies mid-request or the network to payments slows down, the order fails. That weakness is
/// deliberate: it is what the sample's chaos tests and resilience report find (see samples/Shop/README.md).
/// </summary>
internal sealed class NewCheckout(PaymentsClient payments)
{
    /// <summary>The flow's name in responses and the <c>X-Checkout-Flow</c> header.</summary>
    public const string Flow = "new";

    /// <summary>The whole payment budget: one attempt.</summary>
    public static readonly TimeSpan PaymentBudget = TimeSpan.FromMilliseconds(500);

    /// <summary>Pays <paramref name="order"/> with one call.</summary>
    public async Task<CheckoutResult> PlaceAsync(Order order, CancellationToken cancellationToken)
    {
        try
        {
            var receipt = await payments.AuthorizeAsync(order, PaymentBudget, cancellationToken);
            return new CheckoutResult(order.OrderId, Flow, 1, receipt.PaymentId, receipt.Replica, null);
        }
        catch (PaymentFailedException ex)
        {
            return new CheckoutResult(order.OrderId, Flow, 1, null, null, ex.Message);
        }
    }
}
