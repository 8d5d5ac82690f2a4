using FlagCleanup.Checkout;
using FlagCleanup.Pricing;
using OpenFeature;

namespace FlagCleanup.Tests;

public class CheckoutServiceTests
{
    private readonly FakePaymentGateway _payments = new();
    private readonly FakeCheckoutLog _log = new();

    private CheckoutService Create(InMemoryFeatureClient flags) => new(flags, new PriceCalculator(flags), _payments, _log);

    [Fact]
    public async Task Checkout_SavedPaymentMethod_ChargedInOneStep()
    {
        var sut = Create(Flags.AsServed());

        var result = await sut.CheckoutAsync(Carts.Small());

        Assert.Equal(new CheckoutResult(CheckoutStep.Completed, 25.49m), result);
        Assert.Equal([("c-1", "card-1", 25.49m)], _payments.Charges);
        Assert.Equal(["info: Express checkout charged 25.49 to c-1"], _log.Lines);
    }

    [Fact]
    public async Task Checkout_NoSavedPaymentMethod_AsksForOneWithoutCharging()
    {
        var sut = Create(Flags.AsServed());

        var result = await sut.CheckoutAsync(Carts.Small(savedPaymentMethod: null));

        Assert.Equal(CheckoutStep.ChoosePaymentMethod, result.Step);
        Assert.Empty(_payments.Charges);
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public async Task Checkout_Declined_AsksForAnotherPaymentMethodAndLogsAWarning()
    {
        _payments.DeclineWith = "insufficient funds";
        var sut = Create(Flags.AsServed());

        var result = await sut.CheckoutAsync(Carts.Small());

        Assert.Equal(new CheckoutResult(CheckoutStep.ChoosePaymentMethod, Reason: "insufficient funds"), result);
        Assert.Equal(["warning: Express checkout declined for c-1: insufficient funds"], _log.Lines);
    }

    [Fact]
    public async Task Checkout_EmptyCart_Rejected()
    {
        var sut = Create(Flags.AsServed());

        var result = await sut.CheckoutAsync(new Cart("c-1", []));

        Assert.Equal(CheckoutStep.Rejected, result.Step);
        Assert.Empty(_payments.Charges);
    }

    [Fact]
    public async Task Checkout_LoyaltyDiscountOn_ChargesTheDiscountedTotal()
    {
        var sut = Create(Flags.AsServed().Set("loyalty-discount", true));

        var result = await sut.CheckoutAsync(Carts.Large(loyal: true));

        Assert.Equal(new CheckoutResult(CheckoutStep.Completed, 65.55m), result);
    }

    [Theory]
    [InlineData("card-1", "Buy now")]
    [InlineData(null, "Checkout")]
    public async Task CheckoutButtonText_DependsOnASavedPaymentMethod(string? savedPaymentMethod, string expected)
    {
        var sut = Create(Flags.AsServed());

        Assert.Equal(expected, await sut.CheckoutButtonTextAsync(Carts.Small(savedPaymentMethod)));
    }

    [Fact]
    public async Task CheckoutButtonText_LoyaltyDiscountOnForAMember_SaysSo()
    {
        var sut = Create(Flags.AsServed().Set("loyalty-discount", true));

        Assert.Equal("Buy now, 5% off", await sut.CheckoutButtonTextAsync(Carts.Small(loyal: true)));
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    public async Task ShowsLoyaltyBanner_OnlyToNonMembersWhileTheFlagIsOn(bool flagOn, bool member, bool expected)
    {
        var sut = Create(Flags.AsServed().Set("loyalty-discount", flagOn));

        Assert.Equal(expected, await sut.ShowsLoyaltyBannerAsync(Carts.Small(loyal: member)));
    }
}
