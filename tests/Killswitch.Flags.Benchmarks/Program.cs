using System.Diagnostics;
using System.Globalization;
using System.Text;
using Killswitch.Flags;
using Killswitch.Flags.Benchmarks;

// Parse time and allocations of a 2,000-flag flagd file: the median of many runs after a warm-up, on one thread.
// Usage: dotnet run -c Release --project tests/Killswitch.Flags.Benchmarks [-- <flags> <iterations>]
var flagCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
const int WarmUp = 10;

var text = ManifestGenerator.Generate(flagCount);
var check = FlagManifest.Parse("flags.json", text);
if (check.HasErrors || check.Flags.Count != flagCount)
{
    Console.Error.WriteLine($"The generated manifest is not what it should be: {check.Flags.Count} flags, {check.Diagnostics.Count} diagnostics.");
    foreach (var diagnostic in check.Diagnostics.Take(5))
    {
        Console.Error.WriteLine(diagnostic);
    }

    return 1;
}

var withTargeting = check.Flags.Count(f => f.HasTargeting);
var json = Measure(() => FlagValue.Parse(text));
var manifest = Measure(() => FlagManifest.Parse("flags.json", text));

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Flag manifest parsing: {flagCount:N0} flags ({withTargeting:N0} with targeting, {ManifestGenerator.EvaluatorCount} evaluators), {Encoding.UTF8.GetByteCount(text) / 1024.0:N0} KiB of JSON"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $".NET {Environment.Version}, {Environment.ProcessorCount} cores, {iterations} runs after {WarmUp} warm-up runs"));
Console.WriteLine();
Console.WriteLine("| step | median | min | max | allocated per run |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
Print("JSON only (FlagValue.Parse)", json);
Print("whole manifest (FlagManifest.Parse)", manifest);
return 0;

Result Measure(Action action)
{
    for (var i = 0; i < WarmUp; i++)
    {
        action();
    }

    var times = new double[iterations];
    var allocated = new long[iterations];
    for (var i = 0; i < iterations; i++)
    {
        // Each run starts from a clean heap, so it pays for its own garbage and not for an earlier run's.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        action();
        stopwatch.Stop();
        allocated[i] = GC.GetAllocatedBytesForCurrentThread() - before;
        times[i] = stopwatch.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    Array.Sort(allocated);
    return new Result(times[iterations / 2], times[0], times[^1], allocated[iterations / 2]);
}

static void Print(string step, Result result) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {step} | {result.Median:N2} ms | {result.Min:N2} ms | {result.Max:N2} ms | {result.Allocated / (1024.0 * 1024.0):N2} MiB |"));

internal readonly record struct Result(double Median, double Min, double Max, long Allocated);
