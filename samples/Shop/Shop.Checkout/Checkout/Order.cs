namespace Shop.Checkout.Checkout;

/// <summary>An order to pay.</summary>
internal sealed record Order(string OrderId, decimal Amount);

/// <summary>The optional body of <c>POST /checkout</c>.</summary>
internal sealed record CheckoutRequest(string? OrderId, decimal? Amount);

/// <summary>What checkout answers: the order, the flow that handled it, how many payment attempts it took, and the outcome.</summary>
internal sealed record CheckoutResult(string OrderId, string Flow, int Attempts, string? PaymentId, string? PaymentsReplica, string? Error)
{
    /// <summary>Whether the payment went through.</summary>
    public bool Paid => PaymentId is not null;
}

/// <summary>What checkout sends to payments.</summary>
internal sealed record PaymentRequest(string OrderId, decimal Amount);

/// <summary>What payments answers.</summary>
internal sealed record PaymentReceipt(string PaymentId, string OrderId, decimal Amount, string Replica);
