using System.Globalization;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Killswitch.Analyzers.Benchmarks.Manifest;

/// <summary>
/// Writes the flagd manifest a team would keep for a benchmark project: every flag key the code evaluates with a
/// literal key (OpenFeature <c>Get*ValueAsync</c>, FeatureManagement <c>IsEnabledAsync</c>), typed by the call, its
/// default variant the code's default value, and a string flag's variants the values the code switches on. With it
/// the flag-manifest rules (KS1002-KS1010) do all their work in the measured build, not only the "no manifest" check.
/// </summary>
internal static class ManifestWriter
{
    public static string Write(string projectDirectory, string outputPath)
    {
        var root = Path.GetFullPath(projectDirectory);
        var flags = new SortedDictionary<string, Flag>(StringComparer.Ordinal);
        var files = 0;
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
            {
                continue;
            }

            files++;
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path);
            foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                Collect(invocation, flags);
            }
        }

        using (var stream = File.Create(outputPath))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://flagd.dev/schema/v0/flags.json");
            json.WriteStartObject("flags");
            foreach (var (key, flag) in flags)
            {
                json.WriteStartObject(key);
                json.WriteString("state", "ENABLED");
                json.WriteStartObject("variants");
                foreach (var (name, value) in flag.Variants())
                {
                    json.WritePropertyName(name);
                    value(json);
                }

                json.WriteEndObject();
                json.WriteString("defaultVariant", flag.DefaultVariant);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        var byType = flags.Values.GroupBy(f => f.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        return string.Create(CultureInfo.InvariantCulture, $"{outputPath}: {flags.Count} flags ({string.Join(", ", byType)}) from {files} files");
    }

    private static void Collect(InvocationExpressionSyntax invocation, SortedDictionary<string, Flag> flags)
    {
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => null,
        };
        var type = name switch
        {
            "GetBooleanValueAsync" or "GetBooleanDetailsAsync" or "IsEnabledAsync" => "boolean",
            "GetStringValueAsync" or "GetStringDetailsAsync" => "string",
            "GetIntegerValueAsync" or "GetIntegerDetailsAsync" => "integer",
            "GetDoubleValueAsync" or "GetDoubleDetailsAsync" => "float",
            "GetObjectValueAsync" or "GetObjectDetailsAsync" => "object",
            _ => null,
        };
        var arguments = invocation.ArgumentList.Arguments;
        if (type is null || arguments.Count == 0 || arguments[0].Expression is not LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } keyLiteral)
        {
            return;
        }

        var key = keyLiteral.Token.ValueText;
        if (!flags.TryGetValue(key, out var flag))
        {
            flag = new Flag(type);
            flags[key] = flag;
        }

        var defaultValue = arguments.Count > 1 ? arguments[1].Expression : null;
        if (defaultValue is LiteralExpressionSyntax literal && flag.Default is null)
        {
            flag.Default = literal.Token.Value;
        }

        if (type == "string")
        {
            foreach (var label in SwitchLabelsOver(invocation))
            {
                flag.Seen.Add(label);
            }
        }
    }

    /// <summary>The string case labels of switches over the local the call's value is assigned to.</summary>
    private static IEnumerable<string> SwitchLabelsOver(InvocationExpressionSyntax invocation)
    {
        var declarator = invocation.FirstAncestorOrSelf<VariableDeclaratorSyntax>();
        var body = invocation.FirstAncestorOrSelf<BlockSyntax>();
        if (declarator is null || body is null)
        {
            yield break;
        }

        var local = declarator.Identifier.ValueText;
        foreach (var switchStatement in body.DescendantNodes().OfType<SwitchStatementSyntax>())
        {
            if (switchStatement.Expression is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == local)
            {
                foreach (var label in switchStatement.Sections.SelectMany(s => s.Labels).OfType<CaseSwitchLabelSyntax>())
                {
                    if (label.Value is LiteralExpressionSyntax { Token.Value: string value })
                    {
                        yield return value;
                    }
                }
            }
        }
    }

    private sealed class Flag(string type)
    {
        public string Type { get; } = type;

        public object? Default { get; set; }

        public SortedSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public string DefaultVariant => Type switch
        {
            "boolean" => Default is true ? "on" : "off",
            "string" => Default as string ?? "control",
            _ => "default",
        };

        public IEnumerable<(string Name, Action<Utf8JsonWriter> Value)> Variants()
        {
            switch (Type)
            {
                case "boolean":
                    yield return ("on", j => j.WriteBooleanValue(true));
                    yield return ("off", j => j.WriteBooleanValue(false));
                    break;
                case "string":
                    var values = new SortedSet<string>(Seen, StringComparer.Ordinal) { DefaultVariant };
                    foreach (var value in values)
                    {
                        yield return (value, j => j.WriteStringValue(value));
                    }

                    break;
                case "integer":
                    var number = Convert.ToInt64(Default ?? 0, CultureInfo.InvariantCulture);
                    yield return ("default", j => j.WriteNumberValue(number));
                    yield return ("raised", j => j.WriteNumberValue(number * 2));
                    break;
                case "float":
                    var real = Convert.ToDouble(Default ?? 0.0, CultureInfo.InvariantCulture);
                    yield return ("default", j => j.WriteNumberValue(real));
                    yield return ("raised", j => j.WriteNumberValue(real * 2));
                    break;
                default:
                    yield return ("default", j => { j.WriteStartObject(); j.WriteEndObject(); });
                    yield return ("alternative", j => { j.WriteStartObject(); j.WriteBoolean("alternative", true); j.WriteEndObject(); });
                    break;
            }
        }
    }
}
