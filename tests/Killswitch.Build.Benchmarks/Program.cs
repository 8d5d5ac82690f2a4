using System.Diagnostics;
using System.Globalization;
using System.Text;
using Killswitch.Build.Git;
using Killswitch.Build.NewCode;

// Usage: dotnet run -c Release --project tests/Killswitch.Build.Benchmarks -- [--files 10000] [--runs 21] [--keep]
var files = Option("--files", 10_000);
var runs = Option("--runs", 21);
var keep = args.Contains("--keep");

var root = Path.Combine(Path.GetTempPath(), "killswitch-bench", "repo-" + Guid.NewGuid().ToString("N")[..8]);
var project = Path.Combine(root, "src", "Shop");
Console.WriteLine($"Generating a repository with {files} source files in {root} ...");
var setup = Stopwatch.StartNew();
Directory.CreateDirectory(project);
Git(root, "init", "-q", "-b", "main");
Git(root, "config", "user.name", "bench");
Git(root, "config", "user.email", "bench@killswitch.invalid");
Git(root, "config", "commit.gpgsign", "false");
var sources = new List<string>();
for (var i = 0; i < files; i++)
{
    var path = Path.Combine(project, $"Area{i / 100:D3}", $"Service{i:D5}.cs");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, Source(i));
    sources.Add(path);
}

Git(root, "add", "-A");
Git(root, "commit", "-q", "-m", "base");
Git(root, "checkout", "-q", "-b", "feature");

// A realistic pull request: 40 edited files, 5 renamed and edited, 5 new files committed; in the working tree 5 more
// edited files and 5 untracked ones. 60 changed source files in all.
for (var i = 0; i < 40; i++)
{
    Edit(sources[i * 211 % files]);
}

for (var i = 0; i < 5; i++)
{
    var from = sources[(i * 997) + 13];
    var to = from.Replace(".cs", "Renamed.cs", StringComparison.Ordinal);
    Git(root, "mv", from, to);
    Edit(to);
    sources[(i * 997) + 13] = to;
}

for (var i = 0; i < 5; i++)
{
    var path = Path.Combine(project, "Features", $"Feature{i}.cs");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, Source(100_000 + i));
    sources.Add(path);
}

Git(root, "add", "-A");
Git(root, "commit", "-q", "-m", "feature");
for (var i = 0; i < 5; i++)
{
    Edit(sources[(i * 1409) + 7]);
    var path = Path.Combine(project, "Scratch", $"Scratch{i}.cs");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, Source(200_000 + i));
    sources.Add(path);
}

// What a developer's clone looks like: files older than the index, whose stat cache is fresh. Files written in the
// same second as the index are "racily clean" to git, which then reads them whole on every diff; a real working
// tree is not in that state, so the index is refreshed once the clock has moved on.
var newest = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc);
while (DateTime.UtcNow < newest.AddSeconds(2))
{
    await Task.Delay(100).ConfigureAwait(false);
}

Git(root, "update-index", "-q", "--really-refresh");
Git(root, "status", "--short");
Console.WriteLine($"Set up in {setup.Elapsed.TotalSeconds:0.0} s. Timing {runs} runs after one warm-up ...");

var candidates = BaseRefCandidates.Get(null, _ => null, out _);
var stepTimes = new List<double>();
var fingerprintTimes = new List<double>();
NewCodeResult? result = null;
var invocations = 0;
for (var run = 0; run <= runs; run++)
{
    var git = new GitRunner("git", project, TimeSpan.FromMinutes(2));
    var stopwatch = Stopwatch.StartNew();
    result = await new NewCodeCalculator(git).CalculateAsync(project, sources, candidates, explicitBaseRef: false).ConfigureAwait(false);
    var step = stopwatch.Elapsed.TotalMilliseconds;

    stopwatch.Restart();
    _ = GitStateFingerprint.Compute(project, sources, candidates, "bench", _ => null, out _);
    var fingerprint = stopwatch.Elapsed.TotalMilliseconds;
    if (run > 0)
    {
        stepTimes.Add(step);
        fingerprintTimes.Add(fingerprint);
    }

    invocations = git.InvocationCount;
}

if (result?.Problem is not null)
{
    Console.Error.WriteLine("The git step failed: " + result.Problem);
    return 1;
}

var baseTexts = result!.Files.Count(f => f.BaseText is not null);
Console.WriteLine();
Console.WriteLine($"Repository: {files} tracked source files; changed: {result.Files.Count} ({baseTexts} with a base text), {invocations} git processes per run.");
Console.WriteLine($"Git step (NewCodeCalculator, all git work):   median {Median(stepTimes):0} ms, min {stepTimes.Min():0} ms, p90 {Percentile(stepTimes, 0.9):0} ms");
Console.WriteLine($"Up-to-date check (fingerprint, no git):       median {Median(fingerprintTimes):0} ms, min {fingerprintTimes.Min():0} ms, p90 {Percentile(fingerprintTimes, 0.9):0} ms");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Git(root, "--version").Trim()}, load average {LoadAverage()}");

if (!keep)
{
    foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
    {
        File.SetAttributes(file, FileAttributes.Normal);
    }

    Directory.Delete(root, recursive: true);
}

return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string Source(int i)
{
    var text = new StringBuilder();
    text.Append("namespace Shop.Area").Append(i / 100).Append(";\n\npublic sealed class Service").Append(i).Append("\n{\n");
    for (var m = 0; m < 8; m++)
    {
        text.Append("    public int Method").Append(m).Append("(int value)\n    {\n        return value * ").Append(m + 1).Append(";\n    }\n\n");
    }

    return text.Append("}\n").ToString();
}

static void Edit(string path)
{
    var lines = File.ReadAllLines(path).ToList();
    lines.InsertRange(lines.Count / 2, ["    public int Added(int value)", "    {", "        return value;", "    }", string.Empty]);
    File.WriteAllText(path, string.Join('\n', lines) + "\n");
}

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double percentile)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Round(percentile * (sorted.Count - 1))];
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Git(string directory, params string[] arguments)
{
    var startInfo = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        startInfo.ArgumentList.Add(argument);
    }

    using var process = Process.Start(startInfo)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
    }

    return output.Result;
}
