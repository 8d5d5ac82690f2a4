using System.Globalization;

namespace Killswitch.Analyzers.Benchmarks.Generation;

/// <summary>
/// The names a method body can use. Every body starts with the locals <c>items</c> (the area's DTO list),
/// <c>total</c> (decimal), <c>count</c> (int) and <c>names</c> (List&lt;string&gt;); statements read and write them.
/// </summary>
internal sealed class BodyScope
{
    private int _baseId;
    private int _insertedId = 500;

    public BodyScope(Area area, InsertionPlan plan, string repository, string flags, string featureManager, string? logger, bool configureAwait)
    {
        Area = area;
        Plan = plan;
        Repository = repository;
        Flags = flags;
        FeatureManager = featureManager;
        Logger = logger;
        Await = configureAwait ? ".ConfigureAwait(false)" : string.Empty;
    }

    public Area Area { get; }

    public InsertionPlan Plan { get; }

    public string Repository { get; }

    public string Flags { get; }

    public string FeatureManager { get; }

    public string? Logger { get; }

    /// <summary>What follows an awaited task: <c>.ConfigureAwait(false)</c> in services, nothing in endpoints.</summary>
    public string Await { get; }

    public string Token { get; init; } = "cancellationToken";

    /// <summary>An expression of the DTO type in scope (a foreach variable), or null.</summary>
    public string? Item { get; set; }

    /// <summary>True while writing inserted (new) code: no insertion points inside, names from their own range.</summary>
    public bool Inserting { get; set; }

    /// <summary>Windows-only helper a service declares, if any (called under an OS check).</summary>
    public string? WindowsHelper { get; init; }

    public int NextId() => Inserting ? _insertedId++ : ++_baseId;
}

/// <summary>Writes random but well-typed statements: LINQ, lambdas, flag checks, loops, switches, try/catch.</summary>
internal static class BodyWriter
{
    public const int MaxDepth = 6;

    private static readonly double[] CompoundChance = [0.45, 0.35, 0.3, 0.25, 0.2, 0.15, 0];

    /// <summary>Writes the statements of one block and, at its end, an insertion point for new statements.</summary>
    public static void Block(CodeWriter w, BodyScope s, Random r, int depth)
    {
        var statements = depth switch
        {
            0 => r.Next(3, 7),
            1 => r.Next(1, 4),
            _ => r.Next(1, 3),
        };

        for (var i = 0; i < statements; i++)
        {
            Statement(w, s, r, depth);
        }

        InsertionPoint(w, s, depth);
    }

    /// <summary>New statements at this point of the diff: some guarded by a flag, some not.</summary>
    public static void InsertionPoint(CodeWriter w, BodyScope s, int depth)
    {
        if (s.Inserting || !s.Plan.TryInsert(out var r))
        {
            return;
        }

        s.Inserting = true;
        try
        {
            var kind = r.Next(100);
            if (kind < 40)
            {
                w.Open($"if (await {s.Flags}.GetBooleanValueAsync(\"{NewFlag(s, r)}\", false, cancellationToken: {s.Token}){s.Await})");
                InsertedStatements(w, s, r, depth + 1);
                w.Close();
            }
            else if (kind < 50)
            {
                w.Open($"if (await {s.FeatureManager}.IsEnabledAsync(\"{s.Area.Name}.{Words.Pascal(r.Pick(Words.NewFlagWords))}\"){s.Await})");
                InsertedStatements(w, s, r, depth + 1);
                w.Close();
            }
            else
            {
                InsertedStatements(w, s, r, depth);
            }
        }
        finally
        {
            s.Inserting = false;
        }
    }

    private static void InsertedStatements(CodeWriter w, BodyScope s, Random r, int depth)
    {
        var n = r.Next(1, 4);
        for (var i = 0; i < n; i++)
        {
            Statement(w, s, r, Math.Max(depth, MaxDepth - 2));
        }
    }

    public static void Statement(CodeWriter w, BodyScope s, Random r, int depth)
    {
        if (depth < MaxDepth && r.Chance(CompoundChance[Math.Min(depth, CompoundChance.Length - 1)]))
        {
            Compound(w, s, r, depth);
        }
        else
        {
            Simple(w, s, r);
        }
    }

    private static void Simple(CodeWriter w, BodyScope s, Random r)
    {
        var a = s.Area;

        // About one statement in four uses LINQ with lambdas; the rest is plain code. (Sum/Average with a selector
        // cost the compiler ~10x a plain statement, an overload per numeric type, so they stay rare as in real code.)
        if (!r.Chance(0.28))
        {
            Plain(w, s, r);
            return;
        }

        var kind = r.Next(s.Item is null ? 10 : 13);
        switch (kind)
        {
            case 0:
                w.Line(r.Chance(0.3)
                    ? $"total += items.Where(x => x.Amount > {r.Next(5, 500)}m && x.Quantity >= {r.Next(1, 5)}).Sum(x => x.Amount * x.Quantity);"
                    : $"total += items.Where(x => x.Amount > {r.Next(5, 500)}m && x.Quantity >= {r.Next(1, 5)}).Select(x => x.Amount * x.Quantity).Sum();");
                break;
            case 1:
                w.Line($"count += items.Count(x => x.Tags.Contains(\"{r.Pick(Words.Tags)}\", StringComparer.Ordinal));");
                break;
            case 2:
                w.Line($"names.AddRange(items.Where(x => x.Status == \"{r.Pick(Words.Statuses)}\").OrderBy(x => x.CreatedAt).Select(x => x.Name).Take({r.Next(2, 20)}));");
                break;
            case 3 when r.Chance(0.4):
            {
                var id = s.NextId();
                w.Line($"var groups{id} = items");
                w.Indent();
                w.Line(".GroupBy(x => x.Status)");
                w.Line(".Select(g => new { Status = g.Key, Total = g.Sum(x => x.Amount), Count = g.Count() })");
                w.Line(".OrderByDescending(g => g.Total)");
                w.Line(".ToList();");
                w.Outdent();
                w.Line($"total += groups{id}.Count > 0 ? groups{id}[0].Total : 0m;");
                break;
            }

            case 3:
                w.Line($"names.AddRange(items.Select(x => x.Status).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));");
                break;
            case 4:
            {
                var id = s.NextId();
                w.Line($"Func<{a.Dto}, decimal> weight{id} = x => x.Quantity > {r.Next(1, 10)} ? x.Amount * {r.Next(1, 9)}.{r.Next(0, 9)}m : x.Amount;");
                w.Line($"total += items.Sum(weight{id});");
                break;
            }

            case 5:
                if (s.Logger is not null)
                {
                    w.Line($"{s.Logger}.LogInformation(\"{a.Name} step {{Step}} saw {{Count}} items totalling {{Total}}\", {r.Next(1, 99)}, count, total);");
                }
                else
                {
                    w.Line($"count += items.Count(x => x.Amount == 0m);");
                }

                break;
            case 6:
            {
                var id = s.NextId();
                w.Line($"var attempt{id} = 0;");
                w.Open($"while (attempt{id} < {r.Next(2, 5)} && count < {r.Next(10, 1000)})");
                w.Line($"attempt{id}++;");
                w.Line($"count += items.Count(x => x.Quantity == attempt{id});");
                w.Close();
                break;
            }

            case 7:
            {
                var id = s.NextId();
                w.Line($"var byId{id} = items.GroupBy(x => x.Id).ToDictionary(g => g.Key, g => g.First().Name);");
                w.Line($"count += byId{id}.Values.Count(v => v.Length > {r.Next(3, 12)});");
                break;
            }

            case 8:
                w.Line($"names.Add(string.Create(CultureInfo.InvariantCulture, $\"{a.Kebab}:{{count}}:{{total:F2}}\"));");
                break;
            case 9:
                w.Line($"total = Math.Round(total * {r.Next(90, 110)}m / 100m, {r.Next(0, 4)}, MidpointRounding.ToEven);");
                break;
            case 10:
                w.Line($"total += {s.Item}.Amount * {s.Item}.Quantity;");
                break;
            case 11:
                w.Line($"names.Add({s.Item}.Name.Trim().ToUpperInvariant());");
                break;
            default:
                w.Line($"count += {s.Item}.Tags.Count(t => t.StartsWith(\"{r.Pick(Words.Tags)[..2]}\", StringComparison.Ordinal));");
                break;
        }
    }

    private static void Plain(CodeWriter w, BodyScope s, Random r)
    {
        var a = s.Area;
        var id = s.NextId();
        switch (r.Next(s.Item is null ? 11 : 15))
        {
            case 0:
                w.Line("count++;");
                break;
            case 1:
                w.Line($"total = Math.Max(total - {r.Next(1, 50)}.{r.Next(0, 99):D2}m, 0m);");
                break;
            case 2:
                w.Line($"var request{id} = new {a.Request}(\"{a.Kebab}-{r.Next(1000)}\", total, count, null);");
                w.Line($"total += request{id}.Amount / Math.Max(request{id}.Quantity, 1);");
                break;
            case 3:
                w.Line($"var summary{id} = new {a.Summary}(total, count, names);");
                w.Line($"count += summary{id}.Names.Count;");
                break;
            case 4:
                w.Line($"var key{id} = string.Concat(\"{a.Kebab}\", \":\", count.ToString(CultureInfo.InvariantCulture));");
                w.Line($"names.Add(key{id});");
                break;
            case 5:
                w.Open($"if (names.Count > {r.Next(50, 500)})");
                w.Line($"names.RemoveRange(0, {r.Next(1, 20)});");
                w.Close();
                break;
            case 6:
                w.Line($"{s.Token}.ThrowIfCancellationRequested();");
                break;
            case 7:
                w.Line($"var builder{id} = new System.Text.StringBuilder();");
                w.Line($"builder{id}.Append(\"{a.Name}\").Append('/').Append(count).Append('/').Append(total);");
                w.Line($"names.Add(builder{id}.ToString());");
                break;
            case 8:
                w.Line($"var first{id} = items.Count > 0 ? items[0] : null;");
                w.Open($"if (first{id} is {{ Quantity: > {r.Next(1, 9)} }} && !string.IsNullOrEmpty(first{id}.Name))");
                w.Line($"names.Add(first{id}.Name);");
                w.Close();
                break;
            case 9:
                w.Line("names.Sort(StringComparer.Ordinal);");
                break;
            case 10:
                w.Line($"var ratio{id} = count == 0 ? 0m : total / count;");
                w.Line($"total += ratio{id} > {r.Next(10, 1000)}m ? ratio{id} : 0m;");
                break;
            case 11:
                w.Open($"if ({s.Item}.CreatedAt > DateTimeOffset.UtcNow.AddDays(-{r.Next(1, 90)}))");
                w.Line("count++;");
                w.Close();
                break;
            case 12:
                w.Line($"var name{id} = {s.Item}.Name.Trim();");
                w.Open($"if (name{id}.Length > {r.Next(3, 30)})");
                w.Line($"names.Add(name{id}[..{r.Next(1, 3)}]);");
                w.Close();
                break;
            case 13:
                w.Line($"total += {s.Item}.Quantity > 0 ? {s.Item}.Amount : -{s.Item}.Amount;");
                break;
            default:
                w.Line($"count += {s.Item}.Tags.Count;");
                break;
        }
    }

    private static void Compound(CodeWriter w, BodyScope s, Random r, int depth)
    {
        var kind = r.Next(s.Item is null ? 100 : 125);
        var a = s.Area;
        var inner = depth + 1;
        switch (kind)
        {
            case < 10:
                w.Open($"if (await {s.Flags}.GetBooleanValueAsync(\"{Flag(s, r)}\", false, cancellationToken: {s.Token}){s.Await})");
                Block(w, s, r, inner);
                w.Close();
                if (r.Chance(0.5))
                {
                    w.Open("else");
                    Block(w, s, r, inner);
                    w.Close();
                }

                break;
            case < 16:
            {
                var id = s.NextId();
                w.Line($"var enabled{id} = await {s.Flags}.GetBooleanValueAsync(\"{Flag(s, r)}\", {(r.Chance(0.2) ? "true" : "false")}, cancellationToken: {s.Token}){s.Await};");
                w.Open($"if (enabled{id} && items.Count > {r.Next(0, 20)})");
                Block(w, s, r, inner);
                w.Close();
                if (r.Chance(0.4))
                {
                    w.Open($"else if (count > {r.Next(1, 50)})");
                    Block(w, s, r, inner);
                    w.Close();
                }

                break;
            }

            case < 21:
            {
                var id = s.NextId();
                w.Line($"var variant{id} = await {s.Flags}.GetStringValueAsync(\"{Flag(s, r)}-variant\", \"control\", cancellationToken: {s.Token}){s.Await};");
                w.Open($"switch (variant{id})");
                w.Line("case \"treatment\":");
                w.Indent();
                Block(w, s, r, inner);
                w.Line("break;");
                w.Outdent();
                w.Line("case \"holdout\":");
                w.Indent();
                Simple(w, s, r);
                w.Line("break;");
                w.Outdent();
                w.Line("default:");
                w.Indent();
                Simple(w, s, r);
                w.Line("break;");
                w.Outdent();
                w.Close();
                break;
            }

            case < 26:
                w.Open($"if (await {s.FeatureManager}.IsEnabledAsync(\"{a.Name}.{Words.Pascal(r.Pick(Words.FlagWords))}\"){s.Await})");
                Block(w, s, r, inner);
                w.Close();
                break;
            case < 29:
            {
                var id = s.NextId();
                w.Line($"var factor{id} = await {s.Flags}.GetBooleanValueAsync(\"{Flag(s, r)}\", false, cancellationToken: {s.Token}){s.Await} ? {r.Next(80, 99)}m / 100m : 1m;");
                w.Line($"total *= factor{id};");
                break;
            }

            case < 32:
            {
                var id = s.NextId();
                var item = $"{a.Local}{id}";
                w.Line($"var limit{id} = await {s.Flags}.GetIntegerValueAsync(\"{Flag(s, r)}-limit\", {r.Next(5, 100)}, cancellationToken: {s.Token}){s.Await};");
                w.Open($"foreach (var {item} in items.Take(limit{id}))");
                WithItem(w, s, r, inner, item);
                w.Close();
                break;
            }

            case < 44:
                w.Open($"if (count > {r.Next(0, 200)} || total < {r.Next(10, 5000)}m)");
                Block(w, s, r, inner);
                w.Close();
                if (r.Chance(0.3))
                {
                    w.Open($"else if (names.Count > {r.Next(1, 30)})");
                    Block(w, s, r, inner);
                    w.Close();
                }

                if (r.Chance(0.4))
                {
                    w.Open("else");
                    Block(w, s, r, inner);
                    w.Close();
                }

                break;
            case < 58:
            {
                var id = s.NextId();
                var item = $"{a.Local}{id}";
                w.Open($"foreach (var {item} in items.Where(x => x.Status != \"{r.Pick(Words.Statuses)}\").Take({r.Next(5, 50)}))");
                WithItem(w, s, r, inner, item);
                w.Close();
                break;
            }

            case < 64:
            {
                var id = s.NextId();
                w.Open($"for (var i{id} = 0; i{id} < items.Count; i{id} += {r.Next(1, 4)})");
                WithItem(w, s, r, inner, $"items[i{id}]");
                w.Close();
                break;
            }

            case < 74:
                TryCatch(w, s, r, inner);
                break;
            case < 80 when s.WindowsHelper is not null && r.Chance(0.3):
                // Platform-specific code is rare in a web app: a few services read Windows settings.
                Platform(w, s, r);
                break;
            case < 80:
                TryCatch(w, s, r, inner);
                break;
            case < 86:
            {
                var id = s.NextId();
                w.Line($"static decimal Adjust{id}(decimal value, int quantity) => quantity > {r.Next(2, 20)} ? value * {r.Next(85, 99)}m / 100m : value;");
                w.Line($"total = items.Aggregate(total, (acc, x) => acc + Adjust{id}(x.Amount, x.Quantity));");
                break;
            }

            case < 92:
            {
                var id = s.NextId();
                w.Line($"var lookups{id} = items.Take({r.Next(2, 10)}).Select(x => {s.Repository}.FindAsync(x.Id, {s.Token})).ToList();");
                w.Line($"var found{id} = await Task.WhenAll(lookups{id}){s.Await};");
                w.Line($"count += found{id}.Count(x => x is not null);");
                break;
            }

            case < 100:
            {
                var id = s.NextId();
                w.Line($"var stored{id} = await {s.Repository}.CountAsync({s.Token}){s.Await};");
                w.Open($"if (stored{id} > items.Count)");
                Block(w, s, r, inner);
                w.Close();
                break;
            }

            case < 112:
                w.Open($"switch ({s.Item}.Status)");
                w.Line($"case \"{Words.Statuses[0]}\":");
                w.Indent();
                Block(w, s, r, inner);
                w.Line("break;");
                w.Outdent();
                w.Line($"case \"{Words.Statuses[1]}\":");
                w.Line($"case \"{Words.Statuses[5]}\":");
                w.Indent();
                Simple(w, s, r);
                w.Line("break;");
                w.Outdent();
                w.Line("default:");
                w.Indent();
                Simple(w, s, r);
                w.Line("break;");
                w.Outdent();
                w.Close();
                break;
            default:
                w.Open($"if ({s.Item}.Quantity == 0)");
                w.Line($"await {s.Repository}.SaveAsync({s.Item} with {{ Status = \"{r.Pick(Words.Statuses)}\" }}, {s.Token}){s.Await};");
                w.Line("count++;");
                w.Close();
                break;
        }
    }

    private static void WithItem(CodeWriter w, BodyScope s, Random r, int depth, string item)
    {
        var outer = s.Item;
        s.Item = item;
        Block(w, s, r, depth);
        s.Item = outer;
    }

    private static void TryCatch(CodeWriter w, BodyScope s, Random r, int depth)
    {
        var id = s.NextId();
        var key = s.Item is null ? "items.Count > 0 ? items[0].Id : Guid.Empty" : $"{s.Item}.Id";
        w.Open("try");
        w.Line($"var found{id} = await {s.Repository}.FindAsync({key}, {s.Token}){s.Await};");
        w.Open($"if (found{id} is not null)");
        w.Line($"total += found{id}.Amount;");
        WithItem(w, s, r, depth + 1, $"found{id}");
        w.Close();
        w.Close();
        w.Open($"catch (InvalidOperationException ex{id})");
        if (s.Logger is not null)
        {
            w.Line($"{s.Logger}.LogWarning(ex{id}, \"{s.Area.Name} lookup failed after {{Count}} items\", count);");
        }
        else
        {
            w.Line($"names.Add(ex{id}.Message);");
        }

        w.Line("count--;");
        w.Close();
        if (r.Chance(0.5))
        {
            w.Open($"catch (TimeoutException) when (count > {r.Next(0, 10)})");
            w.Line("count = 0;");
            w.Close();
        }

        if (r.Chance(0.3))
        {
            w.Open("finally");
            w.Line($"names.Add(\"{s.Area.Kebab}-done\");");
            w.Close();
        }
    }

    /// <summary>Platform-specific calls under OS checks: the work CA1416 does its flow analysis for.</summary>
    private static void Platform(CodeWriter w, BodyScope s, Random r)
    {
        var id = s.NextId();
        w.Open("if (OperatingSystem.IsWindows())");
        if (s.WindowsHelper is not null && r.Chance(0.5))
        {
            w.Line($"var setting{id} = {s.WindowsHelper}(\"{r.Pick(Words.FlagWords)}\");");
        }
        else
        {
            w.Line($"var setting{id} = Microsoft.Win32.Registry.GetValue(@\"HKEY_LOCAL_MACHINE\\SOFTWARE\\BenchApp\\{s.Area.Name}\", \"{r.Pick(Words.FlagWords)}\", null) as string;");
        }

        w.Open($"if (int.TryParse(setting{id}, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed{id}))");
        w.Line($"count += parsed{id};");
        w.Close();
        w.Close();
        if (r.Chance(0.5))
        {
            w.Open("else if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())");
            w.Line("names.Add(Environment.MachineName);");
            w.Close();
        }
    }

    private static string Flag(BodyScope s, Random r) => $"{s.Area.Kebab}-{r.Pick(Words.FlagWords)}";

    private static string NewFlag(BodyScope s, Random r) => $"{s.Area.Kebab}-{r.Pick(Words.NewFlagWords)}";

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
