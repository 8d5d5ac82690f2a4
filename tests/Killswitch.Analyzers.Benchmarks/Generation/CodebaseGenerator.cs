using Killswitch.Analyzers.Benchmarks.Git;

namespace Killswitch.Analyzers.Benchmarks.Generation;

/// <summary>Settings of the generated codebase; the defaults are the benchmark's.</summary>
internal sealed record GeneratorOptions
{
    public required string OutputDirectory { get; init; }

    public int Seed { get; init; } = 20250101;

    /// <summary>Lines of C# committed on <c>main</c> (the generator stops adding services once reached).</summary>
    public int TargetLines { get; init; } = 210_000;

    /// <summary>Probability that an existing file gets new code on the feature branch.</summary>
    public double FeatureTouchRate { get; init; } = 0.6;

    /// <summary>Probability that an existing file gets uncommitted new code in the working tree.</summary>
    public double WorkingTreeTouchRate { get; init; } = 0.05;

    public int NewServicesOnBranch { get; init; } = 16;

    public int NewEndpointFilesOnBranch { get; init; } = 4;

    public int UntrackedServices { get; init; } = 4;

    public string FeatureBranch { get; init; } = "feature/checkout-v3";
}

/// <summary>What the generator produced, for the benchmark's report.</summary>
internal sealed record GeneratorReport(
    string Directory,
    int Files,
    int BaseLines,
    int FeatureLines,
    int WorkingTreeLines,
    int FilesChangedOnBranch,
    int FilesAddedOnBranch,
    int FilesModifiedUncommitted,
    int FilesUntracked);

/// <summary>
/// Writes a git repository with a large ASP.NET Core application: committed on <c>main</c>, then a feature branch
/// whose diff touches hundreds of files, then uncommitted and untracked changes on top. Everything derives from
/// <see cref="GeneratorOptions.Seed"/>: the same options give the same repository, commit ids included.
/// </summary>
internal static class CodebaseGenerator
{
    public static GeneratorReport Generate(GeneratorOptions options)
    {
        var root = Path.GetFullPath(options.OutputDirectory);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new InvalidOperationException($"The output directory {root} is not empty; pass an empty or new directory.");
        }

        Directory.CreateDirectory(root);
        var files = Plan(options, out var plans);

        var git = new GitRunner(root);
        git.Init();
        var baseText = WriteStage(root, files, plans, options.Seed, Stage.Base);
        git.CommitAll("Base: generated application");
        git.Run("checkout", "--quiet", "-b", options.FeatureBranch);
        var featureText = WriteStage(root, files, plans, options.Seed, Stage.Feature);
        git.CommitAll("Feature: new endpoints, services and branches");
        var workingText = WriteStage(root, files, plans, options.Seed, Stage.WorkingTree);

        return new GeneratorReport(
            root,
            workingText.Count,
            CountLines(baseText),
            CountLines(featureText),
            CountLines(workingText),
            featureText.Count(x => !baseText.TryGetValue(x.Key, out var before) || before != x.Value),
            featureText.Keys.Count(x => !baseText.ContainsKey(x)),
            workingText.Count(x => featureText.TryGetValue(x.Key, out var before) && before != x.Value),
            workingText.Keys.Count(x => !featureText.ContainsKey(x)));
    }

    private static List<SourceFile> Plan(GeneratorOptions options, out Dictionary<string, IReadOnlyDictionary<int, Stage>> plans)
    {
        var seed = options.Seed;
        var random = StableRandom.Create(seed, "plan");
        var files = new List<SourceFile>
        {
            new FixedFile($"{FixedTexts.ProjectName}.csproj", FixedTexts.Project),
            new FixedFile(".gitignore", FixedTexts.GitIgnore),
            new FixedFile(".editorconfig", FixedTexts.EditorConfig),
            new FixedFile("Stubs/OpenFeature.cs", FixedTexts.OpenFeatureStub),
            new FixedFile("Stubs/FeatureManagement.cs", FixedTexts.FeatureManagementStub),
            new FixedFile("Infrastructure/ConfigurationFeatureManager.cs", FixedTexts.FeatureManagerImplementation),
        };

        var services = new Dictionary<Area, List<ServiceFile>>();
        var endpoints = new Dictionary<Area, List<EndpointsFile>>();
        var used = new List<Area>();
        var lines = 0;
        var round = 0;
        while (lines < options.TargetLines)
        {
            foreach (var area in Area.All)
            {
                if (lines >= options.TargetLines)
                {
                    break;
                }

                var added = new List<SourceFile>();
                if (round == 0)
                {
                    used.Add(area);
                    services[area] = [];
                    endpoints[area] = [new EndpointsFile(area, 1, Stage.Base), new EndpointsFile(area, 2, Stage.Base)];
                    added.Add(new ModelsFile(area));
                    added.AddRange(endpoints[area]);
                    added.Add(new ControllerFile(area, $"{area.Entity}Admin", Stage.Base));
                    added.Add(new ControllerFile(area, $"{area.Entity}Reports", Stage.Base));
                }

                var suffix = Words.ServiceSuffixes[round % Words.ServiceSuffixes.Count];
                var generation = round / Words.ServiceSuffixes.Count;
                var service = new ServiceFile(area, $"{area.Entity}{suffix}{(generation == 0 ? string.Empty : generation + 1)}Service", Stage.Base);
                services[area].Add(service);
                added.Add(service);
                foreach (var file in added)
                {
                    lines += Render(file, InsertionPlan.Counting(seed, file.Path), seed, Stage.Base).LineCount;
                }

                files.AddRange(added);
            }

            round++;
        }

        // New files: services and endpoint groups added on the branch, services not yet tracked by git.
        AddNewServices(services, used, random, options.NewServicesOnBranch, Stage.Feature, files);
        foreach (var area in used.OrderBy(_ => random.Next()).Take(options.NewEndpointFilesOnBranch))
        {
            var file = new EndpointsFile(area, 3, Stage.Feature);
            endpoints[area].Add(file);
            files.Add(file);
        }

        AddNewServices(services, used, random, options.UntrackedServices, Stage.WorkingTree, files);
        foreach (var area in used)
        {
            files.Add(new RegistrationFile(area, services[area], endpoints[area]));
        }

        files.Add(new ProgramFile(used));

        // Which insertion points of the existing files carry new code, and in which stage.
        plans = [];
        foreach (var file in files.Where(x => x.AddedIn == Stage.Base))
        {
            var points = Render(file, InsertionPlan.Counting(seed, file.Path), seed, Stage.Base).Plan.PointCount;
            if (points == 0)
            {
                continue;
            }

            var fileRandom = StableRandom.Create(seed, file.Path, 31);
            var feature = fileRandom.Chance(options.FeatureTouchRate) ? fileRandom.Next(1, 3 + (points / 20)) : 0;
            var working = fileRandom.Chance(options.WorkingTreeTouchRate) ? fileRandom.Next(1, 3) : 0;
            if (feature + working > 0)
            {
                plans[file.Path] = InsertionPlan.Choose(fileRandom, points, feature, working);
            }
        }

        return files;
    }

    private static void AddNewServices(
        Dictionary<Area, List<ServiceFile>> services, List<Area> areas, Random random, int count, Stage stage, List<SourceFile> files)
    {
        for (var i = 0; i < count; i++)
        {
            var area = areas[random.Next(areas.Count)];
            var name = $"{area.Entity}{random.Pick(Words.NewServiceSuffixes)}Service";
            if (services[area].Any(x => x.ClassName == name))
            {
                i--;
                continue;
            }

            var file = new ServiceFile(area, name, stage);
            services[area].Add(file);
            files.Add(file);
        }
    }

    private static Dictionary<string, string> WriteStage(
        string root, List<SourceFile> files, Dictionary<string, IReadOnlyDictionary<int, Stage>> plans, int seed, Stage stage)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files.Where(x => x.AddedIn <= stage))
        {
            var plan = plans.TryGetValue(file.Path, out var active)
                ? InsertionPlan.For(seed, file.Path, stage, active)
                : InsertionPlan.Counting(seed, file.Path);
            var text = Render(file, plan, seed, stage).Writer.ToString();
            texts[file.Path] = text;
            var path = Path.Combine(root, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || File.ReadAllText(path) != text)
            {
                File.WriteAllText(path, text);
            }
        }

        return texts;
    }

    private static (CodeWriter Writer, InsertionPlan Plan, int LineCount) Render(SourceFile file, InsertionPlan plan, int seed, Stage stage)
    {
        var writer = new CodeWriter();
        file.Write(writer, plan, StableRandom.Create(seed, file.Path), stage);
        return (writer, plan, writer.LineCount);
    }

    private static int CountLines(Dictionary<string, string> texts) =>
        texts.Where(x => x.Key.EndsWith(".cs", StringComparison.Ordinal)).Sum(x => x.Value.Count(c => c == '\n'));
}
