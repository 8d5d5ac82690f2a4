using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Killswitch.Xunit.Tests.Infrastructure;

/// <summary>
/// Runs tests/Killswitch.Xunit.Fixture as a user does: <c>dotnet test &lt;dll&gt; --filter ...</c>, a real test host on the
/// local target, and reads back the TRX and the report directory.
/// </summary>
internal sealed class FixtureRun : IDisposable
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    private FixtureRun(string directory) => Directory = directory;

    public string Directory { get; }

    public string ReportDirectory => Path.Combine(Directory, "report");

    public IReadOnlyList<(string Name, string Outcome, string Message)> Results { get; private set; } = [];

    public string Output { get; private set; } = string.Empty;

    public static string FixturePath { get; } = typeof(FixtureRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FixturePath").Value!;

    public static async Task<FixtureRun> RunAsync(string filter)
    {
        var run = new FixtureRun(Path.Combine(Path.GetTempPath(), "ks-xunit-e2e-" + Guid.NewGuid().ToString("N")));
        System.IO.Directory.CreateDirectory(run.Directory);
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = run.Directory,
        };
        foreach (var argument in new[] { "test", FixturePath, "--filter", filter, "--logger", "trx;LogFileName=run.trx", "--results-directory", run.Directory })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["KILLSWITCH_REPORT_DIR"] = run.ReportDirectory;
        startInfo.Environment.Remove("KILLSWITCH_TARGET");
        startInfo.Environment.Remove("KILLSWITCH_SEED");
        using var process = Process.Start(startInfo)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet test {FixturePath} --filter \"{filter}\" did not finish in 5 minutes.");
        }

        run.Output = await stdout + await stderr;
        var trx = Path.Combine(run.Directory, "run.trx");
        Assert.True(File.Exists(trx), $"No TRX from the fixture run; its output:{Environment.NewLine}{run.Output}");
        run.Results = [.. XDocument.Load(trx).Descendants(Trx + "UnitTestResult").Select(r => (
            (string)r.Attribute("testName")!,
            (string)r.Attribute("outcome")!,
            (string?)r.Element(Trx + "Output")?.Element(Trx + "ErrorInfo")?.Element(Trx + "Message") ?? string.Empty))];
        return run;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A replica still closing a file: the temp folder is cleaned by the OS later.
        }
    }
}
