using System.Diagnostics;
using Killswitch.Chaos;

namespace Killswitch.Samples.Tests.Infrastructure;

/// <summary>
/// Whether the sample can run on a target here: the target's own availability check (engine, tools image, cluster)
/// plus the shop's images. Missing: skipped with the reason on a laptop; with <c>CI=true</c> that is broken CI and the
/// test fails with the same reason.
/// </summary>
internal static class TargetEnvironment
{
    public static readonly string[] ShopImages = ["killswitch/shop-payments:dev", "killswitch/shop-checkout:dev"];

    public static async Task RequireAsync(IChaosTargetFactory factory)
    {
        var reason = await UnavailableReasonAsync(factory);
        if (reason is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail($"CI=true and the sample cannot run on target '{factory.Name}': {reason}");
        }

        Skip.If(true, $"The sample cannot run on target '{factory.Name}' here: {reason}");
    }

    private static async Task<string?> UnavailableReasonAsync(IChaosTargetFactory factory)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var availability = await factory.CheckAvailabilityAsync(timeout.Token);
        if (!availability.IsAvailable)
        {
            return availability.Reason;
        }

        var missing = new List<string>();
        foreach (var image in ShopImages)
        {
            if (!await ImageExistsAsync(image))
            {
                missing.Add(image);
            }
        }

        return missing.Count == 0 ? null : $"image(s) {string.Join(", ", missing)} not built: run build/images/shop.sh (no registry needed; on kind also `kind load docker-image`).";
    }

    private static async Task<bool> ImageExistsAsync(string image)
    {
        var startInfo = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "image", "inspect", "--format", "{{.Id}}", image })
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync(), process.WaitForExitAsync());
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
