namespace FlagCleanup.Checkout;

public sealed record CartLine(string Sku, decimal UnitPrice, int Quantity);

public sealed record Cart(string CustomerId, IReadOnlyList<CartLine> Lines, bool IsLoyaltyMember = false, string? SavedPaymentMethod = null)
{
    public int ItemCount => Lines.Sum(line => line.Quantity);

    public decimal Subtotal => Lines.Sum(line => line.UnitPrice * line.Quantity);
}
