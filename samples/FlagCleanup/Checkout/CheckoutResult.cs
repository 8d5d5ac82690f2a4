namespace FlagCleanup.Checkout;

public enum CheckoutStep
{
    /// <summary>Paid: the order is placed.</summary>
    Completed,

    /// <summary>The customer must choose a payment method first (the classic flow's second page).</summary>
    ChoosePaymentMethod,

    /// <summary>Nothing was charged.</summary>
    Rejected,
}

public sealed record CheckoutResult(CheckoutStep Step, decimal Charged = 0m, string? Reason = null);
