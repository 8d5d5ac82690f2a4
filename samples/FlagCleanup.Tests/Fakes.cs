using FlagCleanup.Checkout;
using OpenFeature;

namespace FlagCleanup.Tests;

internal sealed class FakePaymentGateway : IPaymentGateway
{
    public List<(string CustomerId, string PaymentMethod, decimal Amount)> Charges { get; } = [];

    public string? DeclineWith { get; set; }

    public Task ChargeAsync(string customerId, string paymentMethod, decimal amount, CancellationToken cancellationToken = default)
    {
        if (DeclineWith is not null)
        {
            throw new PaymentDeclinedException(DeclineWith);
        }

        Charges.Add((customerId, paymentMethod, amount));
        return Task.CompletedTask;
    }
}

internal sealed class FakeCheckoutLog : ICheckoutLog
{
    public List<string> Lines { get; } = [];

    public void Info(string message) => Lines.Add("info: " + message);

    public void Warning(string message) => Lines.Add("warning: " + message);
}

/// <summary>The flags as production serves them (flags.json's default variants).</summary>
internal static class Flags
{
    public static InMemoryFeatureClient AsServed() =>
        InMemoryFeatureClient.FromFlagd(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "flags.json")));
}

internal static class Carts
{
    public static Cart Small(string? savedPaymentMethod = "card-1", bool loyal = false) =>
        new("c-1", [new CartLine("mug", 8.00m, 2), new CartLine("tea", 4.50m, 1)], loyal, savedPaymentMethod);

    public static Cart Large(bool loyal = false) =>
        new("c-2", [new CartLine("kettle", 60.00m, 1), new CartLine("tea", 4.50m, 2)], loyal, "card-2");
}
