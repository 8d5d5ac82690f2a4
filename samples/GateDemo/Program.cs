using System.Diagnostics;
using System.Text;

// GateDemo: KS1001 end to end. Packs Killswitch.Build from this repository, creates a git repository in a temporary
// folder (a base commit on main; a feature branch adding a flagged and an unflagged endpoint; an uncommitted file),
// builds it normally and in gate mode, and shows what a developer and a pull request would see.
var root = FindRepositoryRoot();
var work = Directory.CreateTempSubdirectory("killswitch-gatedemo-").FullName;
var feed = Path.Combine(work, "feed");
var shop = Path.Combine(work, "shop");
var reports = Path.Combine(work, "reports");
var template = Path.Combine(AppContext.BaseDirectory, "Template");
var version = "0.0.0-demo." + DateTimeOffset.UtcNow.ToUnixTimeSeconds();

Step($"Packing Killswitch.Build {version} from {root}");
Run(root, "dotnet", "pack", "src/Killswitch.Build", "-c", "Release", "-o", feed, $"-p:Version={version}", "-nologo", "-v:q");

Step($"Creating a throwaway repository in {shop}");
Directory.CreateDirectory(shop);
File.WriteAllText(Path.Combine(shop, "NuGet.config"), $"""
    <?xml version="1.0" encoding="utf-8"?>
    <configuration>
      <packageSources>
        <clear />
        <add key="demo" value="{feed}" />
        <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
      </packageSources>
    </configuration>
    """);
File.WriteAllText(Path.Combine(shop, "Shop.csproj"), Read("Shop.csproj.txt").Replace("$(KillswitchVersion)", version, StringComparison.Ordinal));
File.WriteAllText(Path.Combine(shop, "OpenFeature.cs"), Read("OpenFeature.cs.txt"));
File.WriteAllText(Path.Combine(shop, "Program.cs"), Read("Program.base.cs.txt"));
File.WriteAllText(Path.Combine(shop, ".gitignore"), "bin/\nobj/\n");
Git("init", "-q", "-b", "main");
Git("add", ".");
Git("commit", "-q", "-m", "Shop: orders endpoint");
Git("checkout", "-q", "-b", "feature/refunds");
File.WriteAllText(Path.Combine(shop, "Program.cs"), Read("Program.feature.cs.txt"));
Git("commit", "-q", "-am", "Express checkout (flagged) and refunds (not flagged)");
File.WriteAllText(Path.Combine(shop, "Loyalty.cs"), Read("Loyalty.cs.txt"));

Step("dotnet build (what the IDE and a local build show: warnings)");
var build = Run(shop, "dotnet", "build", "-nologo", "-clp:NoSummary");
foreach (var line in build.Output.Split('\n').Where(l => l.Contains("KS1001", StringComparison.Ordinal)).Distinct())
{
    Console.WriteLine("  " + line.Trim());
}

Step("dotnet build -p:KillswitchGate=true (the pull-request gate: errors, SARIF, Markdown summary)");
var gate = RunProcess(shop, allowFailure: true, "dotnet", new[] { "build", "-nologo", "-clp:NoSummary", "-p:KillswitchGate=true", $"-p:KillswitchReportDirectory={reports}/" });
Console.WriteLine($"  exit code {gate.ExitCode} ({(gate.ExitCode == 0 ? "gate passed" : "gate failed, as it should: unflagged new code")})");
foreach (var file in Directory.EnumerateFiles(reports))
{
    Console.WriteLine("  report: " + file);
}

var summary = Directory.EnumerateFiles(reports, "*.md").FirstOrDefault();
if (summary is not null)
{
    Step("The Markdown summary (for a PR comment or $GITHUB_STEP_SUMMARY)");
    Console.WriteLine(File.ReadAllText(summary));
}

Console.WriteLine($"The repository is left in {shop} to explore (git log, git diff main). Delete {work} when done.");
return gate.ExitCode == 0 ? 1 : 0; // the demo succeeds when the gate catches the unflagged endpoint

string Read(string name) => File.ReadAllText(Path.Combine(template, name));

void Git(params string[] arguments) =>
    Run(shop, "git", ["-c", "user.name=Killswitch Demo", "-c", "user.email=demo@killswitch.invalid", .. arguments]);

static void Step(string text) => Console.WriteLine($"\n== {text}");

static (int ExitCode, string Output) Run(string directory, string file, params string[] arguments) =>
    RunProcess(directory, allowFailure: false, file, arguments);

static (int ExitCode, string Output) RunProcess(string directory, bool allowFailure, string file, string[] arguments)
{
    var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
    var output = new StringBuilder();
    process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    process.WaitForExit();
    if (process.ExitCode != 0 && !allowFailure)
    {
        throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}:\n{output}");
    }

    return (process.ExitCode, output.ToString());
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Toolkit.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the demo from inside the Killswitch repository (Toolkit.sln was not found above the current directory).");
}
