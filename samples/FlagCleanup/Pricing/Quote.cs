namespace FlagCleanup.Pricing;

public sealed record Quote(decimal Subtotal, decimal Discount, decimal Shipping)
{
    public decimal Total => Subtotal - Discount + Shipping;
}
