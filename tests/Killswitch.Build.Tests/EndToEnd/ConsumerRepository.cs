using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Killswitch.Build.Tests.Infrastructure;

namespace Killswitch.Build.Tests.EndToEnd;

/// <summary>A diagnostic as the console logger prints it: <c>file(line,col): warning KS1001: message</c>.</summary>
internal sealed record BuildDiagnostic(string File, int Line, int Column, string Level, string Code, string Message)
{
    public string Location => $"{System.IO.Path.GetFileName(File)}:{Line}";
}

/// <summary>The outcome of one `dotnet build`, read from a file log (one line per diagnostic, no summary).</summary>
internal sealed record BuildOutcome(int ExitCode, string Log, IReadOnlyList<BuildDiagnostic> Diagnostics)
{
    private static readonly Regex AnalyzerArgument = new(@"/analyzer:(?:""(?<path>[^""]+)""|(?<path>\S+))", RegexOptions.CultureInvariant);

    public IReadOnlyList<BuildDiagnostic> WithCode(string code) => Diagnostics.Where(d => d.Code == code).ToList();

    /// <summary>The compiler's command line as the Csc task logs it (at normal verbosity): the compiler, then its arguments.</summary>
    public string CompilerCommandLine =>
        Log.Split('\n').Select(l => l.Trim()).First(l => l.Contains(" /noconfig ", StringComparison.Ordinal) && l.Contains("/analyzer:", StringComparison.Ordinal));

    /// <summary>The Killswitch assemblies passed to the compiler (/analyzer:), from the command line the Csc task logs.</summary>
    public IReadOnlyList<string> KillswitchAnalyzers =>
        AnalyzerArgument.Matches(Log).Select(m => m.Groups["path"].Value)
            .Where(path => System.IO.Path.GetFileName(path).StartsWith("Killswitch.Analyzers", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Diagnostics without a source location (MSBuild messages such as KSB003) printed as <c>project : warning KSB003: ...</c>.</summary>
    public IReadOnlyList<string> ProjectMessages(string code) =>
        Log.Split('\n').Where(l => l.Contains($": warning {code}: ", StringComparison.Ordinal) || l.Contains($": error {code}: ", StringComparison.Ordinal)).ToList();
}

/// <summary>
/// The scenario of the issue, on disk: a web API whose base commit on main has one endpoint; a feature branch adds one
/// guarded and one unguarded endpoint; the working tree adds an unguarded method. The consumer references nothing but
/// Killswitch.Build (the OpenFeature API is a source stub, as the real SDK is not served here).
/// </summary>
internal sealed class ConsumerRepository
{
    /// <summary>Where the two KS1001 findings must be: the unguarded endpoint's Map call and the new method.</summary>
    public const int UnguardedEndpointLine = 19;
    public const int NewMethodLine = 10;

    private static readonly Regex DiagnosticPattern = new(
        @"^\s*(?:\d+>)?\s*(?<file>[^\s(][^(]*)\((?<line>\d+),(?<column>\d+)\): (?<level>warning|error) (?<code>[A-Z]+\d+): (?<message>.*?)(?: \[[^\]]+\])?$",
        RegexOptions.CultureInvariant);

    private readonly PackedKillswitchFixture _fixture;
    private bool _restored;

    private ConsumerRepository(PackedKillswitchFixture fixture, GitRepository repository)
    {
        _fixture = fixture;
        Repository = repository;
    }

    public GitRepository Repository { get; }

    public string ProjectDirectory => Repository.FullPath("src/Shop.Api");

    public string ProgramFile => Path.Combine(ProjectDirectory, "Program.cs");

    public string BillingFile => Path.Combine(ProjectDirectory, "Services", "Billing.cs");

    public string IntermediateDirectory => Path.Combine(ProjectDirectory, "obj", "Debug", "net10.0");

    public string SarifFile => Path.Combine(IntermediateDirectory, "Shop.Api.net10.0.killswitch.sarif");

    public string SummaryFile => Path.Combine(IntermediateDirectory, "Shop.Api.net10.0.killswitch.md");

    public string NewCodeFile => Path.Combine(IntermediateDirectory, "killswitch", "Shop.Api.killswitch-newcode");

    public static ConsumerRepository Create(PackedKillswitchFixture fixture, string name)
    {
        var repository = GitRepository.Init(Path.Combine(fixture.Root, name + "-" + Guid.NewGuid().ToString("N")[..6]));
        repository.Write(".gitignore", "bin/\nobj/\n");
        repository.Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="killswitch-e2e" value="{fixture.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        repository.Write("src/Shop.Api/Shop.Api.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{fixture.Packages}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Killswitch.Build" Version="{fixture.Version}" />
              </ItemGroup>
            </Project>
            """);
        repository.Write("src/Shop.Api/OpenFeature.cs", """
            namespace OpenFeature
            {
                using System.Threading;
                using System.Threading.Tasks;

                public interface IFeatureClient
                {
                    Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, object? context = null, object? config = null, CancellationToken cancellationToken = default);
                }
            }
            """);
        repository.Write("src/Shop.Api/Program.cs", """
            using OpenFeature;
            using Shop.Api.Services;

            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();

            app.MapGet("/legacy", () => Results.Ok(Billing.Total(2)));

            app.Run();
            """);
        repository.Write("src/Shop.Api/Services/Billing.cs", """
            namespace Shop.Api.Services;

            public static class Billing
            {
                public static int Total(int items)
                {
                    return items * 10;
                }
            }
            """);
        repository.Commit("Shop API with one endpoint");

        repository.Git("checkout", "-q", "-b", "feature/endpoints");
        repository.Write("src/Shop.Api/Program.cs", """
            using OpenFeature;
            using Shop.Api.Services;

            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();

            app.MapGet("/legacy", () => Results.Ok(Billing.Total(2)));

            app.MapGet("/new-guarded", async (IFeatureClient flags) =>
            {
                if (!await flags.GetBooleanValueAsync("new-guarded", false))
                {
                    return Results.NotFound();
                }

                return Results.Ok();
            });

            app.MapGet("/new-unguarded", () => Results.Ok("new"));

            app.Run();
            """);
        repository.Commit("Two new endpoints, one behind a flag");

        // Uncommitted: a new method with a call in it, in the working tree only.
        repository.Write("src/Shop.Api/Services/Billing.cs", """
            namespace Shop.Api.Services;

            public static class Billing
            {
                public static int Total(int items)
                {
                    return items * 10;
                }

                public static int Refund(int items)
                {
                    return -Total(items);
                }
            }
            """);
        return new ConsumerRepository(fixture, repository);
    }

    /// <summary>Runs `dotnet build` on the consumer with extra MSBuild arguments; restores only the first time.</summary>
    public BuildOutcome Build(params string[] arguments)
    {
        var outcome = Run(ProjectDirectory, "build", _restored ? ["--no-restore", .. arguments] : arguments);
        _restored |= outcome.ExitCode == 0 || File.Exists(Path.Combine(ProjectDirectory, "obj", "project.assets.json"));
        return outcome;
    }

    /// <summary>Runs `dotnet &lt;command&gt;` in a directory, logging to a file at normal verbosity without the summary.</summary>
    public BuildOutcome Run(string directory, string command, params string[] arguments)
    {
        var log = Path.Combine(_fixture.Root, "build-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        var all = new List<string> { command, "-nologo", "-tl:off", "-noconsolelogger", "-fl", $"-flp:logfile={log};verbosity=normal;NoSummary" };
        all.AddRange(arguments);
        var result = PackedKillswitchFixture.Dotnet(directory, all.ToArray());
        var text = File.Exists(log) ? File.ReadAllText(log).Replace("\r", string.Empty) : result.All;
        var diagnostics = text.Split('\n')
            .Select(line => DiagnosticPattern.Match(line))
            .Where(match => match.Success)
            .Select(match => new BuildDiagnostic(
                match.Groups["file"].Value.Trim(),
                int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["level"].Value,
                match.Groups["code"].Value,
                match.Groups["message"].Value))
            .ToList();
        return new BuildOutcome(result.ExitCode, text + result.All, diagnostics);
    }
}
