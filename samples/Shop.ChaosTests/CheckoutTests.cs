using System.Diagnostics;
using System.Net.Http.Json;
using Killswitch.Xunit;

namespace Shop.ChaosTests;

public class CheckoutTests
{
    /// <summary>
    /// Every order placed while the fault is in force is paid. Six cases: new-checkout on/off x baseline, a graceful
    /// PodKill of one payments replica, and 800 ± 100 ms of latency into payments. The new flow (on) calls payments once
    /// with a 500 ms budget: it does not survive the latency. That is declared, not hidden: the case's test passes when
    /// the weakness shows (and fails once it is fixed), and the report says "new-checkout=on does not survive Latency".
    /// The PodKill's grace period is 15 s: payments takes about 4 s to stop on Kubernetes (a 2 s preStop sleep, then 2 s of
    /// serving with Connection: close), and the default 5 s made a loaded node SIGKILL it now and then.
    /// </summary>
    [ChaosFact]
    [FlagVariants("new-checkout")]
    [PodKill("app=payments", Mode = ChaosMode.One, GracePeriodMilliseconds = 15_000)]
    [Latency("app=payments", Milliseconds = 800, Jitter = 100)]
    [KnownWeakness("new-checkout=on", "Latency", Reason = "the one-page checkout calls payments once with a 500 ms budget and no retry")]
    public async Task Checkout_completes(ChaosContext chaos)
    {
        using var checkout = chaos.CreateClient("checkout");
        // Orders are placed while the fault is in force: on Docker and Kubernetes a network fault's helper takes seconds to start.
        await chaos.WaitForFaultsAsync();
        var orders = 0;
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            orders++;
            using var response = await checkout.PostAsJsonAsync("checkout", new { amount = 42.50m }, chaos.CancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(chaos.CancellationToken)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {orders} orders failed under {chaos.Scenario}; the first: {failures.FirstOrDefault()}");
    }
}
