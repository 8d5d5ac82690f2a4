namespace FlagCleanup.Checkout;

public interface IPaymentGateway
{
    /// <summary>Charges <paramref name="amount"/> to a stored payment method; throws <see cref="PaymentDeclinedException"/>.</summary>
    Task ChargeAsync(string customerId, string paymentMethod, decimal amount, CancellationToken cancellationToken = default);
}

public interface ICheckoutLog
{
    void Info(string message);

    void Warning(string message);
}

public sealed class PaymentDeclinedException(string message) : Exception(message);
