using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Killswitch.Samples.Tests.Infrastructure;

/// <summary>
/// One run of samples/Shop.ChaosTests as a user runs it on a target: <c>KILLSWITCH_TARGET=&lt;target&gt; dotnet test
/// Shop.ChaosTests.dll</c>, in a results directory of its own (TRX and the Killswitch report), read back afterwards.
/// </summary>
internal sealed class SampleRun : IDisposable
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    private SampleRun(string directory) => Directory = directory;

    public static string ShopChaosTestsPath { get; } =
        typeof(SampleRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ShopChaosTestsPath").Value!;

    public string Directory { get; }

    public string ReportDirectory => Path.Combine(Directory, "report");

    public IReadOnlyList<(string Name, string Outcome, string Message)> Results { get; private set; } = [];

    public JsonElement Report { get; private set; }

    public string Output { get; private set; } = string.Empty;

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Keep <see cref="Directory"/> (TRX, report, timelines) for a failed check to be read.</summary>
    public bool Keep { get; set; }

    public static async Task<SampleRun> RunAsync(string target, TimeSpan timeout)
    {
        var run = new SampleRun(Path.Combine(Path.GetTempPath(), $"ks-sample-{target}-{Guid.NewGuid():N}"));
        System.IO.Directory.CreateDirectory(run.Directory);
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = run.Directory,
        };
        foreach (var argument in new[] { "test", ShopChaosTestsPath, "--logger", "trx;LogFileName=run.trx", "--results-directory", run.Directory })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["KILLSWITCH_TARGET"] = target;
        startInfo.Environment["KILLSWITCH_REPORT_DIR"] = run.ReportDirectory;
        startInfo.Environment.Remove("KILLSWITCH_SEED");
        // Ryuk's image is not pullable everywhere; the Docker target's own sweep removes what it would.
        startInfo.Environment.TryAdd("TESTCONTAINERS_RYUK_DISABLED", "true");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"KILLSWITCH_TARGET={target} dotnet test {ShopChaosTestsPath} did not finish in {timeout.TotalMinutes:0} minutes. Partial output:{Environment.NewLine}{await stdout}");
        }

        run.Elapsed = clock.Elapsed;
        run.Output = new StringBuilder(await stdout).Append(await stderr).ToString();
        var trx = Path.Combine(run.Directory, "run.trx");
        Assert.True(File.Exists(trx), $"No TRX from the sample's run on {target}; its output:{Environment.NewLine}{run.Output}");
        run.Results = [.. XDocument.Load(trx).Descendants(Trx + "UnitTestResult").Select(r => (
            (string)r.Attribute("testName")!,
            (string)r.Attribute("outcome")!,
            (string?)r.Element(Trx + "Output")?.Element(Trx + "ErrorInfo")?.Element(Trx + "Message") ?? string.Empty))];
        var report = Path.Combine(run.ReportDirectory, "report.json");
        Assert.True(File.Exists(report), $"No report.json from the sample's run on {target}; its output:{Environment.NewLine}{run.Output}");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        run.Report = json.RootElement.Clone();
        return run;
    }

    public void Dispose()
    {
        if (Keep)
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp folder is cleaned by the OS later.
        }
    }
}
