using Killswitch.Analyzers.Benchmarks.Generation;

namespace Killswitch.Analyzers.Benchmarks;

/// <summary>The command line of the benchmark tools (see docs/performance.md).</summary>
internal static class Cli
{
    private const string Usage = """
        Killswitch.Analyzers.Benchmarks <command> [options]

          generate --out DIR [--seed N] [--lines N]
              Writes a git repository with a generated ASP.NET Core application of at least N lines (default 210000)
              on main, a feature branch touching hundreds of files, and uncommitted and untracked changes.
          newcode --repo DIR --out FILE [--base REF] [--base-text-dir DIR]
              Writes the new-code file KS1001 reads (*.killswitch-newcode) from git: the merge-base of HEAD and REF
              (default main), the working tree included; with --base-text-dir, the base versions of modified files too.
          mutate --repo DIR [--files N] [--seed N] [--branch NAME]
              Adds a synthetic feature-branch diff to an existing C# repository: new methods and statements in N files
              (default 60), some guarded by flags, plus uncommitted and untracked changes.
          manifest --project DIR --out FILE
              Writes a flagd manifest of the flags a project evaluates with literal keys (typed by the call, defaults and
              string variants from the code), so the flag-manifest rules run in full in the measured build.
          profile --rsp FILE [--base-dir DIR] [--analyzer DLL]... [--ca1416] [--runs N] [--compile-runs N]
              Replays a csc command line (as MSBuild logs it; relative paths against DIR, the project directory) in-process
              and reports the Killswitch analyzers' (and with --ca1416, CA1416's) time, callback by callback;
              --compile-runs (default: --runs) times the compiler alone for scale, 0 skips it.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }

        try
        {
            var options = Options.Parse(args.Skip(1));
            switch (args[0])
            {
                case "generate":
                    var report = CodebaseGenerator.Generate(new GeneratorOptions
                    {
                        OutputDirectory = options.Required("out"),
                        Seed = options.Int("seed", 20250101),
                        TargetLines = options.Int("lines", 210_000),
                    });
                    Console.WriteLine(report);
                    return 0;
                case "newcode":
                    var summary = NewCode.NewCodeFileWriter.Write(
                        options.Required("repo"), options.Optional("base") ?? "main", options.Required("out"), options.Optional("base-text-dir"));
                    Console.WriteLine(summary);
                    return 0;
                case "mutate":
                    Console.WriteLine(Mutation.LibraryMutator.Mutate(
                        options.Required("repo"), options.Int("files", 60), options.Int("seed", 20250101), options.Optional("branch") ?? "feature/flagged-changes"));
                    return 0;
                case "manifest":
                    Console.WriteLine(Manifest.ManifestWriter.Write(options.Required("project"), options.Required("out")));
                    return 0;
                case "profile":
                    return await Profiling.AnalyzerProfiler.RunAsync(
                        options.Required("rsp"), options.Optional("base-dir"), options.All("analyzer"), options.Flag("ca1416"), options.Int("runs", 3), options.Int("compile-runs", options.Int("runs", 3))).ConfigureAwait(false);
                default:
                    Console.Error.WriteLine($"Unknown command '{args[0]}'.");
                    Console.Error.WriteLine(Usage);
                    return 1;
            }
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }

    private sealed class Options
    {
        private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

        public static Options Parse(IEnumerable<string> args)
        {
            var options = new Options();
            string? key = null;
            foreach (var arg in args)
            {
                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    key = arg[2..];
                    if (!options._values.ContainsKey(key))
                    {
                        options._values[key] = [];
                    }
                }
                else if (key is not null)
                {
                    options._values[key].Add(arg);
                    key = null;
                }
                else
                {
                    throw new InvalidOperationException($"Unexpected argument '{arg}': options are --name value.");
                }
            }

            return options;
        }

        public string Required(string name) =>
            Optional(name) ?? throw new InvalidOperationException($"Missing --{name}: see --help.");

        public string? Optional(string name) =>
            _values.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

        public List<string> All(string name) =>
            _values.TryGetValue(name, out var values) ? values : [];

        public bool Flag(string name) => _values.ContainsKey(name);

        public int Int(string name, int defaultValue) =>
            Optional(name) is { } text
                ? int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new InvalidOperationException($"--{name} takes a whole number, not '{text}'.")
                : defaultValue;
    }
}
