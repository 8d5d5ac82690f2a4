using FlagCleanup.Pricing;

namespace FlagCleanup.Tests;

public class PriceCalculatorTests
{
    [Fact]
    public async Task Quote_SmallCart_FlatShippingFee()
    {
        var sut = new PriceCalculator(Flags.AsServed());

        var quote = await sut.QuoteAsync(Carts.Small());

        Assert.Equal(new Quote(20.50m, 0m, PriceCalculator.ExpressShippingFee), quote);
        Assert.Equal(25.49m, quote.Total);
    }

    [Fact]
    public async Task Quote_CartFromFreeShippingAmount_NoShipping()
    {
        var sut = new PriceCalculator(Flags.AsServed());

        var quote = await sut.QuoteAsync(Carts.Large());

        Assert.Equal(new Quote(69.00m, 0m, 0m), quote);
    }

    [Fact]
    public async Task Quote_LoyaltyDiscountServedOff_NoDiscountForMembers()
    {
        var sut = new PriceCalculator(Flags.AsServed());

        var quote = await sut.QuoteAsync(Carts.Large(loyal: true));

        Assert.Equal(0m, quote.Discount);
    }

    [Fact]
    public async Task Quote_LoyaltyDiscountOn_MembersGetFivePercentAndShippingUsesTheDiscountedAmount()
    {
        var sut = new PriceCalculator(Flags.AsServed().Set("loyalty-discount", true));

        var quote = await sut.QuoteAsync(new Checkout.Cart("c-3", [new Checkout.CartLine("kettle", 52.00m, 1)], IsLoyaltyMember: true));

        Assert.Equal(new Quote(52.00m, 2.60m, PriceCalculator.ExpressShippingFee), quote);
    }

    [Fact]
    public async Task Quote_LoyaltyDiscountOn_NoDiscountForOthers()
    {
        var sut = new PriceCalculator(Flags.AsServed().Set("loyalty-discount", true));

        var quote = await sut.QuoteAsync(Carts.Large(loyal: false));

        Assert.Equal(0m, quote.Discount);
    }
}
