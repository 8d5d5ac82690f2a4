namespace Killswitch.Flags.Tests;

public class FlagManifestTests
{
    private const string Checkout = """
        {
          "flags": {
            "new-checkout": {
              "state": "ENABLED",
              "variants": { "on": true, "off": false },
              "defaultVariant": "off",
              "targeting": { "if": [{ "$ref": "staff" }, "on", null] },
              "metadata": { "expiry": "2026-03-31" }
            }
          },
          "$evaluators": { "staff": { "ends_with": [{ "var": "email" }, "@shop.example"] } }
        }
        """;

    [Fact]
    public void Parse_FlagdFlag_ExposesEveryPartOfTheModel()
    {
        var sut = FlagManifest.Parse("flags.json", Checkout);

        Assert.Empty(sut.Diagnostics);
        Assert.False(sut.HasErrors);
        var flag = Assert.Single(sut.Flags);
        Assert.Same(flag, sut.Find("new-checkout"));
        Assert.Equal("new-checkout", flag.Key);
        Assert.Equal(FlagType.Boolean, flag.Type);
        Assert.Equal(["on", "off"], flag.Variants.Select(v => v.Name));
        Assert.Equal("off", flag.DefaultVariant);
        Assert.Equal(FlagValue.False, flag.DefaultValue);
        Assert.Equal(FlagState.Enabled, flag.State);
        Assert.True(flag.HasTargeting);
        Assert.Equal("{\"if\":[{\"ends_with\":[{\"var\":\"email\"},\"@shop.example\"]},\"on\",null]}", flag.Targeting!.ToJson());
        Assert.Equal(new DateTime(2026, 3, 31), flag.Metadata.Expiry);
        Assert.False(flag.Metadata.Permanent);
        Assert.Equal(ManifestFormat.Flagd, flag.Format);
        Assert.Equal(new SourceLocation("flags.json", 3, 5), flag.Location);
        Assert.Equal("new-checkout (Boolean: on=true, off=false; default off)", flag.ToString());
    }

    [Fact]
    public void Find_UnknownKey_ReturnsNull()
    {
        var sut = FlagManifest.Parse("flags.json", Checkout);

        Assert.Null(sut.Find("New-Checkout"));
        Assert.Null(FlagManifest.Empty.Find("new-checkout"));
    }

    [Fact]
    public void Parse_NumberVariants_IntegerOnlyWhenEveryVariantIsWrittenWithoutFraction()
    {
        const string json = """
            { "flags": {
              "ints": { "state": "ENABLED", "variants": { "a": 1, "b": -2 }, "defaultVariant": "a" },
              "floats": { "state": "ENABLED", "variants": { "a": 1, "b": 2.5 }, "defaultVariant": "a" },
              "written-as-float": { "state": "ENABLED", "variants": { "a": 1.0 }, "defaultVariant": "a" }
            } }
            """;

        var sut = FlagManifest.Parse("flags.json", json);

        Assert.Equal(FlagType.Integer, sut.Find("ints")!.Type);
        Assert.All(sut.Find("ints")!.Variants, v => Assert.Equal(FlagValueKind.Integer, v.Value.Kind));
        Assert.Equal(FlagType.Float, sut.Find("floats")!.Type);
        Assert.All(sut.Find("floats")!.Variants, v => Assert.Equal(FlagValueKind.Float, v.Value.Kind));
        Assert.Equal(FlagValue.FromFloat(1), sut.Find("floats")!.DefaultValue);
        Assert.Equal(FlagType.Float, sut.Find("written-as-float")!.Type);
    }

    [Fact]
    public void Parse_CliBooleanFlag_GetsTrueAndFalseVariantsDefaultingToItsDefaultValue()
    {
        const string json = """{ "flags": { "dark-mode": { "flagType": "boolean", "defaultValue": true, "description": "Dark UI." } } }""";

        var flag = FlagManifest.Parse("manifest.json", json).Find("dark-mode")!;

        Assert.Equal(["true=true", "false=false"], flag.Variants.Select(v => v.ToString()));
        Assert.Equal(FlagDefinition.TrueVariant, flag.DefaultVariant);
        Assert.Equal("Dark UI.", flag.Description);
        Assert.Equal(ManifestFormat.OpenFeatureCli, flag.Format);
        Assert.False(flag.HasTargeting);
    }

    [Fact]
    public void Parse_CliNonBooleanFlag_GetsOneDefaultVariant()
    {
        const string json = """{ "flags": { "limit": { "flagType": "integer", "defaultValue": 5 } } }""";

        var flag = FlagManifest.Parse("manifest.json", json).Find("limit")!;

        var variant = Assert.Single(flag.Variants);
        Assert.Equal(FlagDefinition.DefaultVariantName, variant.Name);
        Assert.Equal(FlagValue.FromInteger(5), variant.Value);
        Assert.Equal(FlagDefinition.DefaultVariantName, flag.DefaultVariant);
    }

    [Fact]
    public void Parse_EvaluatorUsingAnotherEvaluator_ResolvesBoth()
    {
        const string json = """
            { "flags": { "f": { "state": "ENABLED", "variants": { "on": true }, "targeting": { "if": [{ "$ref": "outer" }, "on", null] } } },
              "$evaluators": { "outer": { "and": [{ "$ref": "inner" }, true] }, "inner": { "var": "beta" } } }
            """;

        var flag = FlagManifest.Parse("flags.json", json).Find("f")!;

        Assert.Equal("{\"if\":[{\"and\":[{\"var\":\"beta\"},true]},\"on\",null]}", flag.Targeting!.ToJson());
    }

    [Fact]
    public void Parse_FlagUsingEvaluatorWithUnresolvedReference_ReportsTheRootCauseOnceAndTheFlag()
    {
        const string json = """
            {
              "flags": { "f": { "state": "ENABLED", "variants": { "on": true }, "targeting": { "$ref": "outer" } } },
              "$evaluators": { "outer": { "and": [{ "$ref": "missing" }] } }
            }
            """;

        var sut = FlagManifest.Parse("flags.json", json);

        Assert.Empty(sut.Flags);
        Assert.Equal(
        [
            "flags.json(2,92): error UnresolvedReference: The targeting of flag 'f' refers to evaluator 'outer', which has an error (line 3, column 49); fix the evaluator.",
            "flags.json(3,49): error UnresolvedReference: Evaluator 'outer' refers to evaluator 'missing', which \"$evaluators\" does not define (it defines outer).",
        ],
            sut.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(["f", null], sut.Diagnostics.Select(d => d.FlagKey));
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    public void Parse_EvaluatorChain_IsLimitedToEightEvaluators(int length, bool accepted)
    {
        var evaluators = Enumerable.Range(0, length).Select(i => i + 1 < length ? $"\"e{i}\": {{ \"!\": {{ \"$ref\": \"e{i + 1}\" }} }}" : $"\"e{i}\": {{ \"var\": \"x\" }}");
        var json = "{ \"flags\": { \"f\": { \"state\": \"ENABLED\", \"variants\": { \"on\": true }, \"targeting\": { \"$ref\": \"e0\" } } },\n"
            + "\"$evaluators\": { " + string.Join(", ", evaluators) + " } }";

        var sut = FlagManifest.Parse("flags.json", json);

        Assert.Equal(accepted, sut.Find("f") is not null);
        if (!accepted)
        {
            Assert.Equal(
                "Evaluators refer to each other more than 8 levels deep (e0 -> e1 -> e2 -> e3 -> e4 -> e5 -> e6 -> e7 -> e8); use fewer evaluators in between.",
                sut.Diagnostics.Single(d => d.Code == ManifestErrorCode.ReferenceLimitExceeded).Message);
        }
    }

    [Fact]
    public void Parse_EvaluatorsThatMultiplyARule_AreStoppedBeforeTheyExplode()
    {
        // e(k) uses e(k-1) ten times: e4 expands to about 22,000 values, e5 to about 222,000, e9 would be 2 billion.
        var evaluators = new List<string> { "\"e0\": { \"var\": \"x\" }" };
        for (var k = 1; k <= 9; k++)
        {
            evaluators.Add($"\"e{k}\": {{ \"or\": [" + string.Join(", ", Enumerable.Repeat($"{{ \"$ref\": \"e{k - 1}\" }}", 10)) + "] }");
        }

        var json = "{ \"flags\": {\n"
            + "\"small\": { \"state\": \"ENABLED\", \"variants\": { \"on\": true }, \"targeting\": { \"$ref\": \"e4\" } },\n"
            + "\"huge\": { \"state\": \"ENABLED\", \"variants\": { \"on\": true }, \"targeting\": { \"$ref\": \"e9\" } } },\n"
            + "\"$evaluators\": {\n" + string.Join(",\n", evaluators) + " } }";

        var sut = FlagManifest.Parse("flags.json", json);

        Assert.Equal(["small"], sut.Flags.Select(f => f.Key));
        Assert.Equal(
            "flags.json(10,7): error ReferenceLimitExceeded: Evaluator 'e5' expands to more than 100000 JSON values once every \"$ref\" is replaced; refer to fewer evaluators, or to smaller ones.",
            Assert.Single(sut.Diagnostics, d => d.Code == ManifestErrorCode.ReferenceLimitExceeded).ToString());
        Assert.Equal("huge", Assert.Single(sut.Diagnostics, d => d.FlagKey is not null).FlagKey);
        Assert.Equal(10_000, sut.Find("small")!.Targeting!.ToJson().Split("\"var\"").Length - 1);
    }

    [Fact]
    public void Parse_ReferenceThatIsNotAString_IsReported()
    {
        const string json = """{ "flags": { "f": { "state": "ENABLED", "variants": { "on": true }, "targeting": { "$ref": 3 } } }, "$evaluators": {} }""";

        var diagnostic = Assert.Single(FlagManifest.Parse("flags.json", json).Diagnostics);

        Assert.Equal(ManifestErrorCode.UnresolvedReference, diagnostic.Code);
        Assert.Equal("The targeting of flag 'f' has a \"$ref\" that is an integer; \"$ref\" names an entry of \"$evaluators\" as a string.", diagnostic.Message);
    }

    [Theory]
    [InlineData("[]", "flags.json(1,1): error InvalidStructure: The manifest must be a JSON object with a \"flags\" property, found an array.")]
    [InlineData("{\"flags\": 3}", "flags.json(1,11): error InvalidStructure: \"flags\" must be an object mapping flag keys to flags (or, in a flagd file, an array of flags with a \"key\"), found an integer.")]
    [InlineData("{\"flags\": {}, \"$evaluators\": []}", "flags.json(1,30): error InvalidStructure: \"$evaluators\" must be an object mapping names to targeting rules, found an array.")]
    [InlineData("{\"flags\": {}, \"$evaluators\": {\"\": {}}}", "flags.json(1,31): error EmptyName: An evaluator of \"$evaluators\" has an empty name; give it a non-empty name.")]
    [InlineData("{\"flags\": {}, \"metadata\": true}", "flags.json(1,27): error InvalidStructure: The flag set's \"metadata\" must be an object, found a boolean.")]
    [InlineData("{\"flags\": [1]}", "flags.json(1,12): error InvalidStructure: Item 0 of \"flags\" must be a flag object with a \"key\", found an integer.")]
    [InlineData("{\"flags\": [{\"key\": 1}]}", "flags.json(1,20): error InvalidStructure: \"key\" of item 0 of \"flags\" must be a string, found an integer.")]
    [InlineData("{\"flags\": [{\"key\": \"\"}]}", "flags.json(1,20): error EmptyName: A flag key is empty; give the flag a non-empty key.")]
    [InlineData("{\"flags\": [{\"key\": \"a\", \"state\": \"ENABLED\", \"variants\": {\"x\": 1}}, {\"key\": \"a\"}]}", "flags.json(1,68): error DuplicateName: Flag 'a' is defined twice in this file (first at line 1, column 12); remove one of the definitions.")]
    [InlineData("{\"flags\": {\"f\": {\"state\": \"ENABLED\", \"variants\": {\"\": 1}}}}", "flags.json(1,51): error EmptyName: Flag 'f' has a variant with an empty name; give every variant a non-empty name.")]
    [InlineData("{\"flags\": {\"f\": {\"state\": \"ENABLED\", \"variants\": {\"a\": 1, \"a\": 2}}}}", "flags.json(1,59): error DuplicateName: Flag 'f' defines variant 'a' twice; remove one of them.")]
    [InlineData("{\"flags\": {\"f\": {\"state\": \"ENABLED\", \"variants\": {\"a\": [1]}}}}", "flags.json(1,56): error UnsupportedVariantType: Variant 'a' of flag 'f' is an array; variant values must be booleans, strings, numbers or objects.")]
    [InlineData("{\"flags\": {\"f\": {\"state\": \"ENABLED\", \"variants\": {\"a\": -9007199254740991.5}}}}", "flags.json(1,56): error NumberOutOfRange: Variant 'a' of flag 'f' is -9007199254740992.0, outside the range flagd allows (-9007199254740991 to 9007199254740991, the integers a JavaScript number holds exactly).")]
    [InlineData("{\"flags\": {\"f\": {\"state\": 1, \"variants\": {\"a\": 1}}}}", "flags.json(1,27): error InvalidState: Flag 'f' has state 1; state must be \"ENABLED\" or \"DISABLED\".")]
    [InlineData("{\"flags\": {\"f\": {\"state\": \"ENABLED\", \"variants\": {\"a\": 1}, \"metadata\": []}}}", "flags.json(1,72): error InvalidStructure: \"metadata\" of flag 'f' must be an object, found an array.")]
    [InlineData("{\"flags\": {\"f\": {\"state\": \"ENABLED\", \"variants\": {\"a\": 1}, \"metadata\": {\"expiry\": 20260331}}}}", "flags.json(1,83): error InvalidMetadata: Metadata 'expiry' of flag 'f' is 20260331, which is not a date; write it as \"YYYY-MM-DD\", e.g. \"2026-03-31\".")]
    [InlineData("{\"flags\": {\"f\": {\"state\": \"ENABLED\", \"variants\": {\"a\": 1}, \"metadata\": {\"expiry\": \"2026-02-30\"}}}}", "flags.json(1,83): error InvalidMetadata: Metadata 'expiry' of flag 'f' is \"2026-02-30\", which is not a date; write it as \"YYYY-MM-DD\", e.g. \"2026-03-31\".")]
    [InlineData("{\"flags\": {}, \"metadata\": {\"permanent\": \"no\"}}", "flags.json(1,41): error InvalidMetadata: Metadata 'permanent' of the flag set is \"no\"; write true (a kill switch or operational flag that stays) or false.")]
    [InlineData("{\"flags\": {\"f\": {\"flagType\": \"float\", \"defaultValue\": \"1.5\"}}}", "flags.json(1,55): error DefaultValueTypeMismatch: Flag 'f' has flagType \"float\" but its defaultValue is a string.")]
    [InlineData("{\"flags\": {\"f\": {\"flagType\": \"object\", \"defaultValue\": {}, \"schema\": {\"type\": \"array\", \"items\": 3}}}}", "flags.json(1,97): error InvalidValueSchema: The value schema of flag 'f' must be an object at schema.items, found an integer.")]
    [InlineData("{\"flags\": {\"f\": {\"flagType\": 7, \"defaultValue\": 1}}}", "flags.json(1,30): error InvalidFlagType: Flag 'f' has flagType 7; flagType must be one of boolean, string, integer, float, object.")]
    public void Parse_InvalidPart_ReportsOneDiagnosticWithPositionAndMessage(string json, string expected)
    {
        var sut = FlagManifest.Parse("flags.json", json);

        Assert.Equal(expected, Assert.Single(sut.Diagnostics).ToString());
    }

    [Fact]
    public void Parse_BadFlagAmongGoodOnes_SkipsOnlyTheBadFlag()
    {
        const string json = """
            { "flags": {
              "a": { "state": "ENABLED", "variants": { "on": true } },
              "b": { "state": "ENABLED", "variants": { "on": true, "off": 0 } },
              "c": { "state": "DISABLED", "variants": { "on": true } }
            } }
            """;

        var sut = FlagManifest.Parse("flags.json", json);

        Assert.Equal(["a", "c"], sut.Flags.Select(f => f.Key));
        Assert.Equal("b", Assert.Single(sut.Diagnostics).FlagKey);
        Assert.Null(sut.Find("b"));
    }

    [Fact]
    public void Parse_SeveralFilesSameKeySameType_LaterFileWinsInPlace()
    {
        var sut = FlagManifest.Parse(
            new ManifestFile("base.json", """{ "flags": { "a": { "state": "ENABLED", "variants": { "x": 1 } }, "b": { "state": "ENABLED", "variants": { "on": true } } } }"""),
            new ManifestFile("prod.json", """{ "flags": { "a": { "state": "DISABLED", "variants": { "y": 2 }, "defaultVariant": "y" } } }"""));

        Assert.Empty(sut.Diagnostics);
        Assert.Equal(["a", "b"], sut.Flags.Select(f => f.Key));
        Assert.Equal("prod.json", sut.Find("a")!.Location.FilePath);
        Assert.Equal(FlagState.Disabled, sut.Find("a")!.State);
    }

    [Fact]
    public void Parse_SeveralFilesSameKeyDifferentTypes_ReportsBothFilesAndKeepsTheFirst()
    {
        var sut = FlagManifest.Parse(
            new ManifestFile("flagd/flags.json", """{ "flags": { "new-checkout": { "state": "ENABLED", "variants": { "on": true } } } }"""),
            new ManifestFile("openfeature/manifest.json", """
                {
                  "flags": { "new-checkout": { "flagType": "string", "defaultValue": "on" } }
                }
                """));

        var diagnostic = Assert.Single(sut.Diagnostics);
        Assert.Equal(ManifestErrorCode.ConflictingFlagType, diagnostic.Code);
        Assert.Equal(
            "openfeature/manifest.json(2,14): error ConflictingFlagType: Flag 'new-checkout' is a string flag in openfeature/manifest.json but a boolean flag in flagd/flags.json (line 1, column 14); a flag has one type in every manifest. The definition in flagd/flags.json is kept.",
            diagnostic.ToString());
        Assert.Equal("new-checkout", diagnostic.FlagKey);
        Assert.Equal(FlagType.Boolean, sut.Find("new-checkout")!.Type);
    }

    [Fact]
    public void Parse_SeveralFiles_ReportsDiagnosticsInFileOrderThenTextOrder()
    {
        var sut = FlagManifest.Parse(
            new ManifestFile("a.json", """
                {
                  "flags": { "f": { "state": "ENABLED", "variants": { "on": true }, "targeting": { "$ref": "nope" } } },
                  "$evaluators": { "e": { "$ref": "gone" } }
                }
                """),
            new ManifestFile("b.json", "{"));

        Assert.Equal(
            ["a.json(2,92)", "a.json(3,35)", "b.json(1,2)"],
            sut.Diagnostics.Select(d => d.Location.ToString()));
    }

    [Fact]
    public void Parse_FlagSetMetadata_AppliesToEveryFlagUnlessTheFlagOverridesIt()
    {
        const string json = """
            { "flags": {
                "a": { "state": "ENABLED", "variants": { "on": true } },
                "b": { "state": "ENABLED", "variants": { "on": true }, "metadata": { "expiry": "2027-01-01", "owner": "b-team" } }
              },
              "metadata": { "expiry": "2026-01-01", "owner": "platform" } }
            """;

        var sut = FlagManifest.Parse("flags.json", json);

        Assert.Equal(new DateTime(2026, 1, 1), sut.Find("a")!.Metadata.Expiry);
        Assert.Equal(FlagValue.FromString("platform"), sut.Find("a")!.Metadata.Values["owner"]);
        Assert.Equal(new DateTime(2027, 1, 1), sut.Find("b")!.Metadata.Expiry);
        Assert.Equal(FlagValue.FromString("b-team"), sut.Find("b")!.Metadata.Values["owner"]);
    }

    [Fact]
    public void WithServedVariant_KnownVariant_ServesItUnconditionally()
    {
        var flag = FlagManifest.Parse("flags.json", Checkout).Find("new-checkout")!;

        var sut = flag.WithServedVariant("on");

        Assert.Equal("on", sut.DefaultVariant);
        Assert.Equal(FlagValue.True, sut.DefaultValue);
        Assert.False(sut.HasTargeting);
        Assert.Equal(FlagState.Enabled, sut.State);
        Assert.Equal(flag.Variants, sut.Variants);
        Assert.Equal("off", flag.DefaultVariant);
    }

    [Fact]
    public void WithServedVariant_UnknownVariant_ThrowsNamingTheVariants()
    {
        var flag = FlagManifest.Parse("flags.json", Checkout).Find("new-checkout")!;

        var exception = Assert.Throws<ArgumentException>(() => flag.WithServedVariant("maybe"));

        Assert.StartsWith("Flag 'new-checkout' has no variant 'maybe'; its variants are on, off.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Files_ReadsThemAndReportsTheUnreadableOne()
    {
        var directory = Directory.CreateTempSubdirectory("killswitch-flags-");
        try
        {
            var path = Path.Combine(directory.FullName, "flags.json");
            File.WriteAllText(path, Checkout);
            var missing = Path.Combine(directory.FullName, "missing.json");

            var sut = FlagManifest.Load(path, missing);

            Assert.NotNull(sut.Find("new-checkout"));
            var diagnostic = Assert.Single(sut.Diagnostics);
            Assert.Equal(ManifestErrorCode.UnreadableFile, diagnostic.Code);
            Assert.Equal(new SourceLocation(missing, 1, 1), diagnostic.Location);
            Assert.StartsWith("Could not read the manifest: ", diagnostic.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => FlagManifest.Parse(null!, "{}"));
        Assert.Throws<ArgumentNullException>(() => FlagManifest.Parse("a.json", null!));
        Assert.Throws<ArgumentNullException>(() => FlagManifest.Parse((IEnumerable<ManifestFile>)null!));
        Assert.Throws<ArgumentNullException>(() => FlagManifest.Parse(new ManifestFile[] { null! }));
    }
}
