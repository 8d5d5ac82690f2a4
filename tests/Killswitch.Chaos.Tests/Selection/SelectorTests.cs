namespace Killswitch.Chaos.Tests.Selection;

public class SelectorTests
{
    private static readonly Dictionary<string, string> Checkout = new() { ["app"] = "checkout", ["tier"] = "web", ["canary"] = "true" };
    private static readonly Dictionary<string, string> Payments = new() { ["app"] = "payments", ["tier"] = "db" };

    [Theory]
    [InlineData("app=checkout", true, false)]
    [InlineData("app==payments", false, true)]
    [InlineData("app!=checkout", false, true)]
    [InlineData("app in (checkout, payments)", true, true)]
    [InlineData("app notin (checkout)", false, true)]
    [InlineData("canary", true, false)]
    [InlineData("!canary", false, true)]
    [InlineData("tier!=db,app in (checkout,payments)", true, false)]
    [InlineData("missing!=x", true, true)]
    [InlineData("", true, true)]
    [InlineData("killswitch.dev/service=checkout", false, false)]
    public void Matches_KubernetesSyntax_SelectsLikeKubernetes(string text, bool checkout, bool payments)
    {
        var sut = Selector.Parse(text);

        Assert.Equal(checkout, sut.Matches(Checkout));
        Assert.Equal(payments, sut.Matches(Payments));
    }

    [Theory]
    [InlineData("app=(x)", 4)]
    [InlineData("app in a,b", 7)]
    [InlineData("app in (a,b", 11)]
    [InlineData("app ~ x", 4)]
    [InlineData("app is (x)", 4)]
    [InlineData("app=x,", 6)]
    [InlineData("app=x y", 6)]
    [InlineData("!", 1)]
    [InlineData("-app=x", 0)]
    public void Parse_BadSyntax_ThrowsWithPosition(string text, int position)
    {
        var ex = Record.Exception(() => Selector.Parse(text));

        var parse = Assert.IsType<SelectorParseException>(ex);
        Assert.Equal(position, parse.Position);
        Assert.Contains($"position {position}", parse.Message, StringComparison.Ordinal);
        Assert.Contains(text, parse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyValue_MatchesEmptyLabelOnly()
    {
        var sut = Selector.Parse("tier=,app=x");

        Assert.True(sut.Matches(new Dictionary<string, string> { ["tier"] = "", ["app"] = "x" }));
        Assert.False(sut.Matches(new Dictionary<string, string> { ["tier"] = "web", ["app"] = "x" }));
    }
}
