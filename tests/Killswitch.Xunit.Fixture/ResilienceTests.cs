using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Killswitch.Xunit.Fixture;

/// <summary>
/// The end-to-end fixture: a client whose retry is behind the <c>resilient-client</c> flag, evaluated over OFREP from
/// the server Killswitch runs for the case. Variant <c>retry</c> survives a payments PodKill; <c>no-retry</c> is the
/// deliberately broken variant: a request during the restart fails, and so does the case.
/// </summary>
public class ResilienceTests
{
    [ChaosFact]
    [FlagVariants("resilient-client")]
    [PodKill("app=payments", Force = true)]
    [Latency("app=payments", Milliseconds = 150, Jitter = 20)]
    public async Task Checkout_survives(ChaosContext chaos)
    {
        var retry = await EvaluateAsync(chaos, "resilient-client");
        Assert.Equal(chaos.GetVariant("resilient-client") == "retry", retry);

        using var checkout = chaos.CreateClient("checkout");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            var status = await GetAsync(checkout, retry, chaos.CancellationToken);
            Assert.True(status == 200, $"GET /checkout answered {status} (retry {(retry ? "on" : "off")}).");
            await Task.Delay(50, chaos.CancellationToken);
        }
    }

    private static async Task<int> GetAsync(HttpClient checkout, bool retry, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            int status;
            try
            {
                using var response = await checkout.GetAsync("/checkout", cancellationToken);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                status = 0;
            }

            if (status == 200 || !retry || deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                return status;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A boolean flag over OFREP, as a service evaluates it.</summary>
    private static async Task<bool> EvaluateAsync(ChaosContext chaos, string key)
    {
        using var http = new HttpClient { BaseAddress = chaos.FlagService };
        using var response = await http.PostAsJsonAsync($"ofrep/v1/evaluate/flags/{key}", new { context = new { } }, chaos.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(chaos.CancellationToken));
        return body.RootElement.GetProperty("value").GetBoolean();
    }
}
