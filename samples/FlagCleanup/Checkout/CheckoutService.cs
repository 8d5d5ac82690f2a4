using System.Globalization;
using FlagCleanup.Pricing;
using OpenFeature;

namespace FlagCleanup.Checkout;

/// <summary>
/// Places an order. Express checkout (behind a flag that expired: every customer has had it since January) charges a
/// saved payment method in one step; the classic flow asks for a payment method on a second page.
/// </summary>
public sealed class CheckoutService
{
    private readonly IFeatureClient _flags;
    private readonly PriceCalculator _prices;
    private readonly IPaymentGateway _payments;
    private readonly ICheckoutLog _log;

    public CheckoutService(IFeatureClient flags, PriceCalculator prices, IPaymentGateway payments, ICheckoutLog log)
    {
        _flags = flags;
        _prices = prices;
        _payments = payments;
        _log = log;
    }

    public async Task<CheckoutResult> CheckoutAsync(Cart cart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cart);
        if (cart.Lines.Count == 0)
        {
            return new CheckoutResult(CheckoutStep.Rejected, Reason: "The cart is empty.");
        }

        var express = await _flags.GetBooleanValueAsync("express-checkout", true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var quote = await _prices.QuoteAsync(cart, cancellationToken).ConfigureAwait(false);
        if (express && cart.SavedPaymentMethod is { } paymentMethod)
        {
            try
            {
                await _payments.ChargeAsync(cart.CustomerId, paymentMethod, quote.Total, cancellationToken).ConfigureAwait(false);
            }
            catch (PaymentDeclinedException e)
            {
                _log.Warning($"Express checkout declined for {cart.CustomerId}: {e.Message}");
                return new CheckoutResult(CheckoutStep.ChoosePaymentMethod, Reason: e.Message);
            }

            _log.Info(string.Create(CultureInfo.InvariantCulture, $"Express checkout charged {quote.Total:0.00} to {cart.CustomerId}"));
            return new CheckoutResult(CheckoutStep.Completed, quote.Total);
        }

        if (!express)
        {
            LogClassicFlow(cart);
        }

        return new CheckoutResult(CheckoutStep.ChoosePaymentMethod, Reason: "Choose a payment method.");
    }

    /// <summary>The text on the cart page's button.</summary>
    public async Task<string> CheckoutButtonTextAsync(Cart cart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cart);
        if (!await _flags.GetBooleanValueAsync("express-checkout", true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return "Proceed to checkout";
        }

        if (cart.SavedPaymentMethod is null)
        {
            return "Checkout";
        }

        return cart.IsLoyaltyMember && await _flags.GetBooleanValueAsync("loyalty-discount", false, cancellationToken: cancellationToken).ConfigureAwait(false)
            ? "Buy now, 5% off"
            : "Buy now";
    }

    /// <summary>Whether the loyalty banner shows (the live flag: still being rolled out).</summary>
    public async Task<bool> ShowsLoyaltyBannerAsync(Cart cart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cart);
        return !cart.IsLoyaltyMember && await _flags.GetBooleanValueAsync("loyalty-discount", false, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private void LogClassicFlow(Cart cart) => _log.Info($"Classic checkout for {cart.CustomerId}");
}
