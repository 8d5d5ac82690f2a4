namespace Shop.Checkout.Flags;

/// <summary>The flag keys this service evaluates; each is defined in samples/Shop/flags.json.</summary>
internal static class ShopFlags
{
    /// <summary>Boolean, variants on/off, default off: the new checkout flow (single payment call, tight budget).</summary>
    public const string NewCheckout = "new-checkout";
}
