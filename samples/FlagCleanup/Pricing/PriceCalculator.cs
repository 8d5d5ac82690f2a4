using FlagCleanup.Checkout;
using OpenFeature;

namespace FlagCleanup.Pricing;

/// <summary>Prices a cart: the loyalty discount (live flag) and shipping (express checkout's flat rate, or per item).</summary>
public sealed class PriceCalculator(IFeatureClient flags)
{
    public const decimal LoyaltyRate = 0.05m;
    public const decimal FreeShippingFrom = 50m;
    public const decimal ExpressShippingFee = 4.99m;
    public const decimal ShippingPerItem = 2.50m;

    public async Task<Quote> QuoteAsync(Cart cart, CancellationToken cancellationToken = default)
    {
        var subtotal = cart.Subtotal;
        var discount = cart.IsLoyaltyMember && await flags.GetBooleanValueAsync("loyalty-discount", false, cancellationToken: cancellationToken).ConfigureAwait(false)
            ? Math.Round(subtotal * LoyaltyRate, 2)
            : 0m;
        var shipping = await flags.GetBooleanValueAsync("express-checkout", true, cancellationToken: cancellationToken).ConfigureAwait(false)
            ? ExpressShipping(subtotal - discount)
            : PerItemShipping(cart);
        return new Quote(subtotal, discount, shipping);
    }

    private static decimal ExpressShipping(decimal net) => net >= FreeShippingFrom ? 0m : ExpressShippingFee;

    private static decimal PerItemShipping(Cart cart) => ShippingPerItem * cart.ItemCount;
}
