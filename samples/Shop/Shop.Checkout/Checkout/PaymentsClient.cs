using System.Text.Json;

namespace Shop.Checkout.Checkout;

/// <summary>Calls the payments service at <c>PAYMENTS_URL</c> (in Kubernetes, the payments Service; locally, Killswitch's edge proxy).</summary>
internal sealed class PaymentsClient(HttpClient http)
{
    /// <summary>The environment variable holding the payments service's base URL.</summary>
    public const string UrlVariable = "PAYMENTS_URL";

    /// <summary>One authorization attempt that must answer within <paramref name="timeout"/>.</summary>
    /// <exception cref="PaymentFailedException">No answer in time, no connection, or an error status.</exception>
    public async Task<PaymentReceipt> AuthorizeAsync(Order order, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var request = new PaymentRequest(order.OrderId, order.Amount);
            using var response = await http.PostAsJsonAsync("payments", request, CheckoutJson.Default.PaymentRequest, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new PaymentFailedException($"payments answered {(int)response.StatusCode}", transient: (int)response.StatusCode >= 500);
            }

            return await response.Content.ReadFromJsonAsync(CheckoutJson.Default.PaymentReceipt, deadline.Token)
                ?? throw new PaymentFailedException("payments answered an empty body", transient: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PaymentFailedException($"payments did not answer within {timeout.TotalMilliseconds:0} ms", transient: true, timedOut: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            throw new PaymentFailedException($"payments call failed: {ex.Message}", transient: true);
        }
    }
}

/// <summary>A payment attempt failed.</summary>
internal sealed class PaymentFailedException(string message, bool transient, bool timedOut = false) : Exception(message)
{
    /// <summary>Whether trying again may succeed (no answer, a 5xx).</summary>
    public bool Transient { get; } = transient;

    /// <summary>Whether the attempt ran out of time.</summary>
    public bool TimedOut { get; } = timedOut;
}
