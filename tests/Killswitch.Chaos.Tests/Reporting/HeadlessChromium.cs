using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Killswitch.Chaos.Tests.Reporting;

/// <summary>
/// Debian's <c>chromium</c> run headless on a file: <c>--dump-dom</c> gives the DOM after the page's scripts ran,
/// <c>--screenshot</c> a PNG. Found on PATH (<c>chromium</c>, <c>chromium-browser</c>, <c>google-chrome</c>) or at
/// <c>KILLSWITCH_CHROMIUM</c>. Nothing is fetched: the flags turn off every background connection.
/// </summary>
internal static partial class HeadlessChromium
{
    public static string? Path { get; } = Find();

    public static string RepoRoot { get; } = typeof(HeadlessChromium).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    public static Task<string> DumpDomAsync(string htmlPath) => RunAsync(htmlPath, "--dump-dom");

    public static async Task ScreenshotAsync(string htmlPath, string pngPath)
    {
        await RunAsync(htmlPath, "--screenshot=" + pngPath, "--window-size=1280,2600", "--hide-scrollbars");
    }

    /// <summary>The attributes of every element <paramref name="tag"/> whose class list has <paramref name="cssClass"/> (any, when null).</summary>
    public static IReadOnlyList<Dictionary<string, string>> Elements(string dom, string tag, string? cssClass = null)
    {
        var result = new List<Dictionary<string, string>>();
        foreach (Match element in Regex.Matches(dom, $"<{tag}\\b([^>]*)>", RegexOptions.CultureInvariant))
        {
            var attributes = Attribute().Matches(element.Groups[1].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            if (cssClass is null || (attributes.TryGetValue("class", out var classes) && classes.Split(' ').Contains(cssClass, StringComparer.Ordinal)))
            {
                result.Add(attributes);
            }
        }

        return result;
    }

    private static async Task<string> RunAsync(string htmlPath, params string[] action)
    {
        var chromium = Path ?? throw new InvalidOperationException("chromium is not installed: apt-get install -y chromium (build/install-chromium.sh), or set KILLSWITCH_CHROMIUM.");
        var profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "killswitch-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
            "--user-data-dir=" + profile, .. action, new Uri(htmlPath).AbsoluteUri])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within 90 s: {await stderr}");
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A helper process may still hold a file for a moment; the folder is in the temp directory.
            }
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("KILLSWITCH_CHROMIUM") is { Length: > 0 } configured)
        {
            return configured;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => new[] { "chromium", "chromium-browser", "google-chrome" }.Select(name => System.IO.Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    [GeneratedRegex("([a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Attribute();
}

/// <summary>
/// A fact skipped, saying how to install chromium, when it is missing on a developer's machine; never skipped in CI
/// (<c>CI=true</c>), where a missing chromium fails the test.
/// </summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (HeadlessChromium.Path is null && !inCi)
        {
            Skip = "chromium is not installed: apt-get install -y chromium (or set KILLSWITCH_CHROMIUM to a Chrome/Chromium binary). In CI (CI=true) this test fails instead.";
        }
    }
}
