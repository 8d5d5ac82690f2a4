namespace Killswitch.Analyzers.Benchmarks.Generation;

/// <summary>One generated file. <see cref="AddedIn"/> is the first stage in which it exists.</summary>
internal abstract class SourceFile(string path, Stage addedIn)
{
    public string Path { get; } = path;

    public Stage AddedIn { get; } = addedIn;

    /// <summary>Renders the file. <paramref name="random"/> is seeded by the path, so every stage gets the same base.</summary>
    public abstract void Write(CodeWriter w, InsertionPlan plan, Random random, Stage stage);
}

/// <summary>A file whose text is fixed (project file, stubs, settings).</summary>
internal sealed class FixedFile(string path, string text) : SourceFile(path, Stage.Base)
{
    public override void Write(CodeWriter w, InsertionPlan plan, Random random, Stage stage)
    {
        foreach (var line in text.Split('\n'))
        {
            w.Line(line);
        }
    }
}

/// <summary>An application service: constructor-injected repository, flags and logger; async methods.</summary>
internal sealed class ServiceFile(Area area, string className, Stage addedIn)
    : SourceFile($"{area.Name}/Services/{className}.cs", addedIn)
{
    public Area Area { get; } = area;

    public string ClassName { get; } = className;

    public override void Write(CodeWriter w, InsertionPlan plan, Random random, Stage stage)
    {
        var a = Area;
        var windowsOnly = random.Chance(0.15);
        Header(w, a);
        w.Open($"public sealed class {ClassName}");
        w.Line(plan.Variant($"private const int PageSize = {random.Next(2, 20) * 10};", $"private const int PageSize = {random.Next(21, 30) * 10};"));
        w.Line($"private readonly {a.Repository} _repository;");
        w.Line("private readonly IFeatureClient _flags;");
        w.Line("private readonly IFeatureManager _featureManager;");
        w.Line($"private readonly ILogger<{ClassName}> _logger;");
        w.Line();
        w.Open($"public {ClassName}({a.Repository} repository, IFeatureClient flags, IFeatureManager featureManager, ILogger<{ClassName}> logger)");
        w.Line("_repository = repository;");
        w.Line("_flags = flags;");
        w.Line("_featureManager = featureManager;");
        w.Line("_logger = logger;");
        w.Close();

        var methods = random.Next(6, 13);
        for (var m = 0; m < methods; m++)
        {
            w.Line();
            var scope = new BodyScope(a, plan, "_repository", "_flags", "_featureManager", "_logger", configureAwait: true)
            {
                WindowsHelper = windowsOnly ? "ReadWindowsSetting" : null,
            };
            var name = $"{random.Pick(Words.Verbs)}{random.Pick(Words.Nouns)}{m + 1}";
            if (random.Chance(0.18))
            {
                SyncMember(w, a, random, name);
            }
            else
            {
                AsyncMethod(w, scope, random, name + "Async", guardWholeMethod: random.Chance(0.15));
            }

            NewMethodPoint(w, plan, a, m);
        }

        if (windowsOnly)
        {
            w.Line();
            w.Line("[SupportedOSPlatform(\"windows\")]");
            w.Line("private static string? ReadWindowsSetting(string name) =>");
            w.Line($"    Microsoft.Win32.Registry.GetValue(@\"HKEY_LOCAL_MACHINE\\SOFTWARE\\BenchApp\\{a.Name}\", name, null) as string;");
        }

        w.Close();
    }

    /// <summary>A new method in the diff, after method <paramref name="index"/>.</summary>
    private static void NewMethodPoint(CodeWriter w, InsertionPlan plan, Area a, int index)
    {
        if (!plan.TryInsert(out var r))
        {
            return;
        }

        w.Line();
        var scope = new BodyScope(a, plan, "_repository", "_flags", "_featureManager", "_logger", configureAwait: true) { Inserting = true };
        var name = $"{r.Pick(Words.NewVerbs)}{r.Pick(Words.Nouns)}{index + 1}V2Async";
        AsyncMethod(w, scope, r, name, guardWholeMethod: r.Chance(0.45));
    }

    internal static void Header(CodeWriter w, Area a)
    {
        w.Line("using System.Globalization;");
        w.Line("using System.Runtime.Versioning;");
        w.Line("using Microsoft.FeatureManagement;");
        w.Line("using OpenFeature;");
        w.Line();
        w.Line($"namespace {a.Namespace};");
        w.Line();
    }

    internal static void AsyncMethod(CodeWriter w, BodyScope s, Random r, string name, bool guardWholeMethod)
    {
        var a = s.Area;
        var shape = r.Next(5);
        var (returnType, early, final) = shape switch
        {
            0 => ("Task<decimal>", "return 0m;", "return total + count + names.Count;"),
            1 => ("Task<int>", "return 0;", "return count + names.Count + (int)Math.Round(total);"),
            2 => ("Task<IReadOnlyList<string>>", "return Array.Empty<string>();", "return [.. names, string.Create(CultureInfo.InvariantCulture, $\"{count}:{total}\")];"),
            3 => ($"Task<{a.Summary}>", $"return {a.Summary}.Empty;", $"return new {a.Summary}(total, count, names);"),
            _ => ("Task", "return;", null),
        };
        var parameters = r.Next(3) switch
        {
            0 => "Guid id, ",
            1 => "string? region, int skip, ",
            _ => string.Empty,
        };
        w.Open($"public async {returnType} {name}({parameters}CancellationToken cancellationToken = default)");
        if (guardWholeMethod)
        {
            var flag = s.Inserting ? r.Pick(Words.NewFlagWords) : r.Pick(Words.FlagWords);
            w.Open($"if (!await {s.Flags}.GetBooleanValueAsync(\"{a.Kebab}-{flag}\", false, cancellationToken: cancellationToken){s.Await})");
            w.Line(early);
            w.Close();
            w.Line();
        }

        var skip = parameters.Contains("skip", StringComparison.Ordinal) ? "skip" : "0";
        w.Line($"var items = await {s.Repository}.ListAsync({skip}, PageSize, cancellationToken){s.Await};");
        w.Line("var total = 0m;");
        w.Line("var count = 0;");
        w.Line("var names = new List<string>();");
        BodyWriter.InsertionPoint(w, s, 0);
        BodyWriter.Block(w, s, r, 0);
        if (final is null)
        {
            w.Line($"{s.Logger}.LogInformation(\"{name} finished: {{Total}} {{Count}} {{Names}}\", total, count, names.Count);");
        }
        else
        {
            w.Line(final);
        }

        w.Close();
    }

    private static void SyncMember(CodeWriter w, Area a, Random r, string name)
    {
        if (r.Chance(0.4))
        {
            w.Line($"public static bool {name}({a.Dto} item) => item is not null && item.Amount * item.Quantity > {r.Next(100, 10000)}m && !item.Tags.Contains(\"{r.Pick(Words.Tags)}\");");
            return;
        }

        w.Open($"public static decimal {name}({a.Dto} item)");
        w.Line("ArgumentNullException.ThrowIfNull(item);");
        w.Line("var score = item.Status switch");
        w.Line("{");
        w.Indent();
        w.Line($"\"active\" => item.Amount * {r.Next(10, 20)}m / 10m,");
        w.Line("\"pending\" or \"trial\" => item.Amount,");
        w.Line("\"suspended\" or \"closed\" => 0m,");
        w.Line("_ => item.Amount / 2,");
        w.Outdent();
        w.Line("};");
        w.Open($"if (item.Tags.Count > {r.Next(1, 5)})");
        w.Open($"if (item.Quantity > {r.Next(2, 20)})");
        w.Line($"score += {r.Next(1, 10)};");
        w.Close();
        w.Open("else if (item.CreatedAt < DateTimeOffset.UnixEpoch.AddYears(50))");
        w.Line("score -= 1;");
        w.Close();
        w.Close();
        w.Line("return score;");
        w.Close();
    }
}

/// <summary>Minimal-API endpoints of an area: a route group with lambdas that check flags.</summary>
internal sealed class EndpointsFile(Area area, int number, Stage addedIn)
    : SourceFile($"{area.Name}/Endpoints/{area.Entity}Endpoints{number}.cs", addedIn)
{
    public Area Area { get; } = area;

    public string MethodName => $"Map{Area.Entity}Endpoints{number}";

    public override void Write(CodeWriter w, InsertionPlan plan, Random random, Stage stage)
    {
        var a = Area;
        ServiceFile.Header(w, a);
        w.Open($"public static class {a.Entity}Endpoints{number}");
        w.Open($"public static IEndpointRouteBuilder {MethodName}(this IEndpointRouteBuilder app)");
        w.Line($"var group = app.MapGroup(\"/api/{a.Kebab}/v{number}\");");
        var endpoints = random.Next(4, 9);
        for (var e = 0; e < endpoints; e++)
        {
            w.Line();
            Endpoint(w, a, plan, random, $"{random.Pick(Words.Nouns).ToLowerInvariant()}-{e + 1}", e % 3 == 1 ? "MapPost" : "MapGet");
        }

        if (plan.TryInsert(out var r))
        {
            var count = r.Next(1, 4);
            for (var e = 0; e < count; e++)
            {
                w.Line();
                Endpoint(w, a, plan, r, $"{r.Pick(Words.NewFlagWords)}-{e + 1}", "MapGet", inserting: true);
            }
        }

        w.Line();
        w.Line("return app;");
        w.Close();
        w.Close();
    }

    private static void Endpoint(CodeWriter w, Area a, InsertionPlan plan, Random r, string route, string map, bool inserting = false)
    {
        var body = map == "MapPost" ? $"{a.Request} request, " : string.Empty;
        w.Line($"group.{map}(\"/{route}\", async ({body}{a.Repository} repository, IFeatureClient flags, IFeatureManager featureManager, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>");
        w.Line("{");
        w.Indent();
        var s = new BodyScope(a, plan, "repository", "flags", "featureManager", "logger", configureAwait: false) { Inserting = inserting };
        if (inserting && r.Chance(0.5))
        {
            w.Open($"if (!await flags.GetBooleanValueAsync(\"{a.Kebab}-{r.Pick(Words.NewFlagWords)}\", false, cancellationToken: cancellationToken))");
            w.Line("return Results.NotFound();");
            w.Close();
            w.Line();
        }

        w.Line($"var logger = loggerFactory.CreateLogger(\"{a.Namespace}.Endpoints\");");
        w.Line($"var items = await repository.ListAsync(0, {r.Next(2, 10) * 10}, cancellationToken);");
        w.Line("var total = 0m;");
        w.Line("var count = 0;");
        w.Line("var names = new List<string>();");
        if (body.Length > 0)
        {
            w.Line("names.Add(request.Name);");
            w.Line("total += request.Amount * request.Quantity;");
        }

        BodyWriter.Block(w, s, r, 0);
        w.Open("if (count < 0)");
        w.Line("return Results.BadRequest();");
        w.Close();
        w.Line();
        w.Line($"return Results.Ok(new {a.Summary}(total, count, names));");
        w.Outdent();
        w.Line(r.Chance(0.3) ? $"}}).WithName(\"{a.Entity}-{route}\").RequireAuthorization();" : $"}}).WithName(\"{a.Entity}-{route}\");");
    }
}

/// <summary>An MVC controller of an area.</summary>
internal sealed class ControllerFile(Area area, string name, Stage addedIn)
    : SourceFile($"{area.Name}/Controllers/{name}Controller.cs", addedIn)
{
    public override void Write(CodeWriter w, InsertionPlan plan, Random random, Stage stage)
    {
        var a = area;
        var className = $"{name}Controller";
        w.Line("using System.Globalization;");
        w.Line("using Microsoft.AspNetCore.Mvc;");
        w.Line("using Microsoft.FeatureManagement;");
        w.Line("using OpenFeature;");
        w.Line();
        w.Line($"namespace {a.Namespace};");
        w.Line();
        w.Line("[ApiController]");
        w.Line($"[Route(\"api/{Area.ToKebab(name)}\")]");
        w.Open($"public sealed class {className} : ControllerBase");
        w.Line($"private readonly {a.Repository} _repository;");
        w.Line("private readonly IFeatureClient _flags;");
        w.Line("private readonly IFeatureManager _featureManager;");
        w.Line($"private readonly ILogger<{className}> _logger;");
        w.Line();
        w.Open($"public {className}({a.Repository} repository, IFeatureClient flags, IFeatureManager featureManager, ILogger<{className}> logger)");
        w.Line("_repository = repository;");
        w.Line("_flags = flags;");
        w.Line("_featureManager = featureManager;");
        w.Line("_logger = logger;");
        w.Close();
        w.Line();
        w.Line("[HttpGet(\"{id:guid}\")]");
        w.Open("public async Task<IActionResult> Get(Guid id, CancellationToken cancellationToken)");
        w.Line("var item = await _repository.FindAsync(id, cancellationToken);");
        w.Line("return item is null ? NotFound() : Ok(item);");
        w.Close();

        var actions = random.Next(3, 7);
        for (var i = 0; i < actions; i++)
        {
            w.Line();
            Action(w, a, plan, random, $"{random.Pick(Words.Verbs)}{random.Pick(Words.Nouns)}{i + 1}", inserting: false);
            if (plan.TryInsert(out var r))
            {
                w.Line();
                Action(w, a, plan, r, $"{r.Pick(Words.NewVerbs)}{r.Pick(Words.Nouns)}{i + 1}", inserting: true);
            }
        }

        w.Close();
    }

    private static void Action(CodeWriter w, Area a, InsertionPlan plan, Random r, string name, bool inserting)
    {
        var post = !inserting && r.Chance(0.3);
        w.Line(post ? $"[HttpPost(\"{Area.ToKebab(name)}\")]" : $"[HttpGet(\"{Area.ToKebab(name)}\")]");
        w.Open($"public async Task<IActionResult> {name}({(post ? $"[FromBody] {a.Request} request, " : string.Empty)}CancellationToken cancellationToken)");
        var s = new BodyScope(a, plan, "_repository", "_flags", "_featureManager", "_logger", configureAwait: false) { Inserting = inserting };
        if (inserting && r.Chance(0.5))
        {
            w.Open($"if (!await _flags.GetBooleanValueAsync(\"{a.Kebab}-{r.Pick(Words.NewFlagWords)}\", false, cancellationToken: cancellationToken))");
            w.Line("return NotFound();");
            w.Close();
            w.Line();
        }

        w.Line($"var items = await _repository.ListAsync(0, {r.Next(2, 10) * 10}, cancellationToken);");
        w.Line("var total = 0m;");
        w.Line("var count = 0;");
        w.Line("var names = new List<string>();");
        if (post)
        {
            w.Open("if (string.IsNullOrWhiteSpace(request.Name))");
            w.Line("return BadRequest();");
            w.Close();
            w.Line();
        }

        BodyWriter.Block(w, s, r, 0);
        w.Line($"return Ok(new {a.Summary}(total, count, names));");
        w.Close();
    }
}

/// <summary>DTOs, the repository interface and an in-memory repository of an area.</summary>
internal sealed class ModelsFile(Area area) : SourceFile($"{area.Name}/{area.Entity}Models.cs", Stage.Base)
{
    public override void Write(CodeWriter w, InsertionPlan plan, Random random, Stage stage)
    {
        var a = area;
        w.Line("using System.Collections.Concurrent;");
        w.Line();
        w.Line($"namespace {a.Namespace};");
        w.Line();
        w.Line($"public sealed record {a.Dto}(Guid Id, string Name, decimal Amount, int Quantity, string Status, DateTimeOffset CreatedAt, IReadOnlyList<string> Tags);");
        w.Line();
        w.Line($"public sealed record {a.Request}(string Name, decimal Amount, int Quantity, string? Region);");
        w.Line();
        w.Open($"public sealed record {a.Summary}(decimal Total, int Count, IReadOnlyList<string> Names)");
        w.Line($"public static {a.Summary} Empty {{ get; }} = new(0m, 0, Array.Empty<string>());");
        w.Close();
        w.Line();
        w.Open($"public interface {a.Repository}");
        w.Line($"Task<{a.Dto}?> FindAsync(Guid id, CancellationToken cancellationToken = default);");
        w.Line();
        w.Line($"Task<IReadOnlyList<{a.Dto}>> ListAsync(int skip, int take, CancellationToken cancellationToken = default);");
        w.Line();
        w.Line($"Task SaveAsync({a.Dto} item, CancellationToken cancellationToken = default);");
        w.Line();
        w.Line("Task<int> CountAsync(CancellationToken cancellationToken = default);");
        w.Close();
        w.Line();
        w.Open($"public sealed class InMemory{a.Entity}Repository : {a.Repository}");
        w.Line($"private readonly ConcurrentDictionary<Guid, {a.Dto}> _items = new();");
        w.Line();
        w.Line($"public Task<{a.Dto}?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>");
        w.Line($"    Task.FromResult<{a.Dto}?>(_items.TryGetValue(id, out var item) ? item : null);");
        w.Line();
        w.Line($"public Task<IReadOnlyList<{a.Dto}>> ListAsync(int skip, int take, CancellationToken cancellationToken = default) =>");
        w.Line($"    Task.FromResult<IReadOnlyList<{a.Dto}>>(_items.Values.OrderBy(x => x.CreatedAt).Skip(skip).Take(take).ToList());");
        w.Line();
        w.Open($"public Task SaveAsync({a.Dto} item, CancellationToken cancellationToken = default)");
        w.Line("ArgumentNullException.ThrowIfNull(item);");
        w.Line("_items[item.Id] = item;");
        w.Line("return Task.CompletedTask;");
        w.Close();
        w.Line();
        w.Line("public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(_items.Count);");
        w.Close();
    }
}

/// <summary>The area's DI registration and endpoint mapping; lists what exists at the stage rendered.</summary>
internal sealed class RegistrationFile(Area area, IReadOnlyList<ServiceFile> services, IReadOnlyList<EndpointsFile> endpoints)
    : SourceFile($"{area.Name}/{area.Name}Registration.cs", Stage.Base)
{
    public Area Area { get; } = area;

    public override void Write(CodeWriter w, InsertionPlan plan, Random random, Stage stage)
    {
        var a = Area;
        w.Line($"namespace {a.Namespace};");
        w.Line();
        w.Open($"public static class {a.Name}Registration");
        w.Open($"public static IServiceCollection Add{a.Name}Area(this IServiceCollection services)");
        w.Line($"services.AddSingleton<{a.Repository}, InMemory{a.Entity}Repository>();");
        foreach (var service in services.Where(x => x.AddedIn <= stage))
        {
            w.Line($"services.AddScoped<{service.ClassName}>();");
        }

        w.Line("return services;");
        w.Close();
        w.Line();
        w.Open($"public static IEndpointRouteBuilder Map{a.Name}Area(this IEndpointRouteBuilder app)");
        foreach (var e in endpoints.Where(x => x.AddedIn <= stage))
        {
            w.Line($"app.{e.MethodName}();");
        }

        w.Line("return app;");
        w.Close();
        w.Close();
    }
}

/// <summary>Program.cs: the web host wiring every area.</summary>
internal sealed class ProgramFile(IReadOnlyList<Area> areas) : SourceFile("Program.cs", Stage.Base)
{
    public override void Write(CodeWriter w, InsertionPlan plan, Random random, Stage stage)
    {
        foreach (var a in areas)
        {
            w.Line($"using {a.Namespace};");
        }

        w.Line("using Microsoft.FeatureManagement;");
        w.Line("using OpenFeature;");
        w.Line();
        w.Line("var builder = WebApplication.CreateBuilder(args);");
        w.Line("builder.Services.AddControllers();");
        w.Line("builder.Services.AddSingleton<IFeatureClient>(_ => Api.Instance.GetClient(\"bench-app\"));");
        w.Line("builder.Services.AddSingleton<IFeatureManager, BenchApp.Infrastructure.ConfigurationFeatureManager>();");
        foreach (var a in areas)
        {
            w.Line($"builder.Services.Add{a.Name}Area();");
        }

        w.Line();
        w.Line("var app = builder.Build();");
        w.Line("app.MapControllers();");
        foreach (var a in areas)
        {
            w.Line($"app.Map{a.Name}Area();");
        }

        w.Line("app.Run();");
    }
}
