namespace Killswitch.Chaos.Tests.Selection;

public class SelectionModeTests
{
    private static readonly int[] Ten = [.. Enumerable.Range(1, 10)];

    [Theory]
    [InlineData("one", 1)]
    [InlineData("all", 10)]
    [InlineData("fixed:3", 3)]
    [InlineData("fixed:50", 10)]
    [InlineData("fixed-percent:50", 5)]
    [InlineData("fixed-percent:25", 2)]
    [InlineData("fixed-percent:1", 1)]
    public void Select_Mode_ChoosesChaosMeshCount(string mode, int expected)
    {
        var sut = SelectionMode.Parse(mode);

        var chosen = sut.Select(Ten, new Random(7));

        Assert.Equal(expected, chosen.Count);
        Assert.Equal(chosen.Count, chosen.Distinct().Count());
        Assert.All(chosen, c => Assert.Contains(c, Ten));
    }

    [Fact]
    public void Select_RandomMaxPercent_StaysWithinMaximumAndNeverZero()
    {
        var sut = SelectionMode.RandomMaxPercent(30);
        var counts = Enumerable.Range(0, 200).Select(seed => sut.Select(Ten, new Random(seed)).Count).ToArray();

        Assert.All(counts, c => Assert.InRange(c, 1, 3));
        Assert.True(counts.Distinct().Count() > 1, "random-max-percent should vary the count across seeds");
    }

    [Fact]
    public void Select_SameSeed_SameChoice()
    {
        var sut = SelectionMode.Fixed(3);

        var first = sut.Select(Ten, new Random(42));
        var second = sut.Select(Ten, new Random(42));
        var others = Enumerable.Range(0, 20).Select(seed => string.Join(",", sut.Select(Ten, new Random(seed)))).Distinct().Count();

        Assert.Equal(first, second);
        Assert.True(others > 1, "different seeds should give different choices");
    }

    [Fact]
    public void Select_NoCandidates_ReturnsEmpty()
    {
        Assert.Empty(SelectionMode.All.Select(Array.Empty<int>(), new Random(1)));
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("fixed")]
    [InlineData("fixed:1.5")]
    [InlineData("fixed-percent:abc")]
    public void Parse_Unknown_ThrowsListingModes(string text)
    {
        var ex = Assert.Throws<FormatException>(() => SelectionMode.Parse(text));

        Assert.Contains("random-max-percent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_RoundTripsThroughParse()
    {
        foreach (var mode in new[] { SelectionMode.One, SelectionMode.All, SelectionMode.Fixed(2), SelectionMode.FixedPercent(12.5), SelectionMode.RandomMaxPercent(40) })
        {
            Assert.Equal(mode, SelectionMode.Parse(mode.ToString()));
        }
    }
}
