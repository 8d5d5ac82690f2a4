using Killswitch.Flags.Matrix;

namespace Killswitch.Flags.Tests;

public class VariantMatrixTests
{
    private const string Json = """
        { "flags": {
          "new-checkout":  { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" },
          "checkout-flow": { "state": "ENABLED", "variants": { "classic": "c", "wizard": "w", "one-page": "o" }, "defaultVariant": "classic" },
          "discount-rate": { "state": "ENABLED", "variants": { "none": 0, "small": 0.05, "big": 0.2 } },
          "max-items":     { "state": "ENABLED", "variants": { "few": 5, "some": 25, "many": 100, "all": 1000 }, "defaultVariant": "some" },
          "dark-mode":     { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "on" }
        } }
        """;

    private static readonly FlagManifest Manifest = FlagManifest.Parse("flags.json", Json);

    private static readonly string[] AllKeys = ["new-checkout", "checkout-flow", "discount-rate", "max-items", "dark-mode"];

    [Fact]
    public void Cartesian_TwoFlags_GivesEveryCombinationInOdometerOrderWithStableNames()
    {
        var sut = VariantMatrix.Create(Manifest, ["new-checkout", "checkout-flow"], VariantMatrixStrategy.Cartesian);

        Assert.Equal(
            [
                "new-checkout=on,checkout-flow=classic", "new-checkout=on,checkout-flow=wizard", "new-checkout=on,checkout-flow=one-page",
                "new-checkout=off,checkout-flow=classic", "new-checkout=off,checkout-flow=wizard", "new-checkout=off,checkout-flow=one-page",
            ],
            sut.Assignments.Select(a => a.Name));
    }

    [Fact]
    public void Cartesian_FiveFlags_CountIsTheProductOfVariantCounts()
    {
        var sut = VariantMatrix.Create(Manifest, AllKeys, VariantMatrixStrategy.Cartesian);

        Assert.Equal(2 * 3 * 3 * 4 * 2, sut.Assignments.Count);
        Assert.Equal(sut.Assignments.Count, sut.Assignments.Select(a => a.Name).Distinct().Count());
    }

    [Fact]
    public void Pairwise_ThreeBooleanLikeFlags_FindsTheOptimumOfFourRows()
    {
        const string json = """
            { "flags": {
              "a": { "state": "ENABLED", "variants": { "on": true, "off": false } },
              "b": { "state": "ENABLED", "variants": { "on": true, "off": false } },
              "c": { "state": "ENABLED", "variants": { "on": true, "off": false } }
            } }
            """;

        var sut = VariantMatrix.Create(FlagManifest.Parse("f.json", json), ["a", "b", "c"], VariantMatrixStrategy.Pairwise);

        Assert.Equal(["a=on,b=on,c=on", "a=on,b=off,c=off", "a=off,b=on,c=off", "a=off,b=off,c=on"], sut.Assignments.Select(a => a.Name));
        AssertCoversEveryPair(sut);
    }

    [Theory]
    [InlineData("new-checkout,checkout-flow")]
    [InlineData("new-checkout,checkout-flow,discount-rate")]
    [InlineData("max-items,checkout-flow,discount-rate,new-checkout,dark-mode")]
    [InlineData("new-checkout,checkout-flow,discount-rate,max-items,dark-mode")]
    public void Pairwise_AnyFlags_CoversEveryPairOfVariantsOfEveryTwoFlags(string flagKeys)
    {
        var keys = flagKeys.Split(',');
        var sut = VariantMatrix.Create(Manifest, keys, VariantMatrixStrategy.Pairwise);

        AssertCoversEveryPair(sut);
        var cartesian = VariantMatrix.Create(Manifest, keys, VariantMatrixStrategy.Cartesian).Assignments.Count;
        Assert.True(sut.Assignments.Count <= cartesian, $"{sut.Assignments.Count} pairwise rows > {cartesian} cartesian rows");
        Assert.Equal(sut.Assignments.Count, sut.Assignments.Distinct().Count());
    }

    [Fact]
    public void Pairwise_FiveFlags_NeedsFarFewerRowsThanCartesian()
    {
        var sut = VariantMatrix.Create(Manifest, AllKeys, VariantMatrixStrategy.Pairwise);

        // The lower bound is 4 x 3 = 12 (the pairs of the two largest flags); 144 is the full product.
        Assert.InRange(sut.Assignments.Count, 12, 16);
    }

    [Fact]
    public void Pairwise_OneFlag_GivesEachVariant()
    {
        var sut = VariantMatrix.Create(Manifest, ["checkout-flow"], VariantMatrixStrategy.Pairwise);

        Assert.Equal(["checkout-flow=classic", "checkout-flow=wizard", "checkout-flow=one-page"], sut.Assignments.Select(a => a.Name));
    }

    [Theory]
    [InlineData(VariantMatrixStrategy.Cartesian)]
    [InlineData(VariantMatrixStrategy.Pairwise)]
    [InlineData(VariantMatrixStrategy.EachVariantOnce)]
    public void Create_SameInputTwice_GivesTheSameAssignmentsInTheSameOrder(VariantMatrixStrategy strategy)
    {
        var first = VariantMatrix.Create(FlagManifest.Parse("flags.json", Json), AllKeys, strategy);
        var second = VariantMatrix.Create(FlagManifest.Parse("flags.json", Json), AllKeys, strategy);

        Assert.Equal(first.Assignments.Select(a => a.Name), second.Assignments.Select(a => a.Name));
    }

    [Fact]
    public void EachVariantOnce_FlagsOfDifferentSizes_ServesEveryVariantAndThenTheDefault()
    {
        var sut = VariantMatrix.Create(Manifest, ["new-checkout", "max-items", "discount-rate"], VariantMatrixStrategy.EachVariantOnce);

        Assert.Equal(
            [
                "new-checkout=on,max-items=few,discount-rate=none",
                "new-checkout=off,max-items=some,discount-rate=small",
                "new-checkout=off,max-items=many,discount-rate=big",
                "new-checkout=off,max-items=all,discount-rate=none",
            ],
            sut.Assignments.Select(a => a.Name));
    }

    [Fact]
    public void Create_VariantSubset_TakesOnlyThoseVariantsInManifestOrder()
    {
        var subsets = new Dictionary<string, IReadOnlyList<string>> { ["checkout-flow"] = ["one-page", "classic"] };

        var sut = VariantMatrix.Create(Manifest, ["new-checkout", "checkout-flow"], VariantMatrixStrategy.Cartesian, subsets);

        Assert.Equal(["classic", "one-page"], sut.Variants[1]);
        Assert.Equal(
            ["new-checkout=on,checkout-flow=classic", "new-checkout=on,checkout-flow=one-page", "new-checkout=off,checkout-flow=classic", "new-checkout=off,checkout-flow=one-page"],
            sut.Assignments.Select(a => a.Name));
    }

    [Fact]
    public void Create_UnknownFlag_ThrowsNamingTheManifestsFlags()
    {
        var e = Assert.Throws<ArgumentException>(() => VariantMatrix.Create(Manifest, ["new-chekout"], VariantMatrixStrategy.Pairwise));

        Assert.StartsWith("Flag 'new-chekout' is not in the manifest; its flags are new-checkout, checkout-flow, discount-rate, max-items, dark-mode.", e.Message);
        Assert.Equal("flagKeys", e.ParamName);
    }

    [Fact]
    public void Create_UnknownVariant_ThrowsNamingTheFlagsVariants()
    {
        var subsets = new Dictionary<string, IReadOnlyList<string>> { ["checkout-flow"] = ["wizzard"] };

        var e = Assert.Throws<ArgumentException>(() => VariantMatrix.Create(Manifest, ["checkout-flow"], VariantMatrixStrategy.Cartesian, subsets));

        Assert.StartsWith("Flag 'checkout-flow' has no variant 'wizzard'; its variants are classic, wizard, one-page.", e.Message);
    }

    [Fact]
    public void Create_SubsetForAFlagNotChosen_ThrowsNamingTheChosenFlags()
    {
        var subsets = new Dictionary<string, IReadOnlyList<string>> { ["dark-mode"] = ["on"] };

        var e = Assert.Throws<ArgumentException>(() => VariantMatrix.Create(Manifest, ["new-checkout", "checkout-flow"], VariantMatrixStrategy.Cartesian, subsets));

        Assert.StartsWith("Variants are given for flag 'dark-mode', which is not one of the chosen flags (new-checkout, checkout-flow); choose it, or remove its variants.", e.Message);
    }

    [Fact]
    public void Create_EmptySubset_ThrowsNamingTheVariants()
    {
        var subsets = new Dictionary<string, IReadOnlyList<string>> { ["new-checkout"] = [] };

        var e = Assert.Throws<ArgumentException>(() => VariantMatrix.Create(Manifest, ["new-checkout"], VariantMatrixStrategy.Cartesian, subsets));

        Assert.StartsWith("No variants are given for flag 'new-checkout'; name at least one of on, off, or leave the flag out of the subsets to take all of them.", e.Message);
    }

    [Fact]
    public void Create_NoFlagOrAFlagTwice_Throws()
    {
        var none = Assert.Throws<ArgumentException>(() => VariantMatrix.Create(Manifest, [], VariantMatrixStrategy.Cartesian));
        var twice = Assert.Throws<ArgumentException>(() => VariantMatrix.Create(Manifest, ["dark-mode", "dark-mode"], VariantMatrixStrategy.Cartesian));

        Assert.StartsWith("No flag is chosen; name at least one flag of the manifest to vary.", none.Message);
        Assert.StartsWith("Flag 'dark-mode' is chosen twice; list each flag once.", twice.Message);
    }

    [Fact]
    public void VariantAssignment_NameParsesBackToAnEqualAssignment()
    {
        var sut = VariantAssignment.Parse("new-checkout=on,checkout-flow=wizard");

        Assert.Equal("on", sut.FindVariant("new-checkout"));
        Assert.Equal("wizard", sut.FindVariant("checkout-flow"));
        Assert.Null(sut.FindVariant("dark-mode"));
        Assert.Equal(VariantMatrix.Create(Manifest, ["new-checkout", "checkout-flow"], VariantMatrixStrategy.Cartesian).Assignments[1], sut);
        Assert.Throws<FormatException>(() => VariantAssignment.Parse("new-checkout"));
        Assert.Throws<FormatException>(() => VariantAssignment.Parse("a=on,a=off"));
    }

    private static void AssertCoversEveryPair(VariantMatrix sut)
    {
        for (var i = 0; i < sut.Flags.Count; i++)
        {
            for (var j = i + 1; j < sut.Flags.Count; j++)
            {
                foreach (var a in sut.Variants[i])
                {
                    foreach (var b in sut.Variants[j])
                    {
                        Assert.True(
                            sut.Assignments.Any(row => row.FindVariant(sut.Flags[i].Key) == a && row.FindVariant(sut.Flags[j].Key) == b),
                            $"No assignment has {sut.Flags[i].Key}={a} with {sut.Flags[j].Key}={b}.");
                    }
                }
            }
        }
    }
}
