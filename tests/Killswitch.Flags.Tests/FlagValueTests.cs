namespace Killswitch.Flags.Tests;

public class FlagValueTests
{
    [Fact]
    public void Parse_ObjectWithEveryKind_RoundTripsThroughToJson()
    {
        const string json = "{\"b\":true,\"s\":\"x\\\"y\\n\",\"i\":-3,\"f\":0.25,\"n\":null,\"a\":[1,2.0,{}],\"o\":{\"k\":[]}}";

        var sut = FlagValue.Parse(json);

        Assert.Equal(json, sut.ToJson());
        Assert.Equal(sut, FlagValue.Parse(sut.ToJson()));
    }

    [Fact]
    public void ToIndentedJson_Object_IndentsWithTwoSpaces()
    {
        var sut = FlagValue.Parse("{\"a\":[1,{\"b\":null}],\"c\":{},\"d\":[]}");

        Assert.Equal("{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}", sut.ToIndentedJson());
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e21, "1E+21")]
    [InlineData(1.7976931348623157E+308, "1.7976931348623157E+308")]
    public void FromFloat_Value_WritesAFloatThatReadsBackAsTheSameFloat(double value, string json)
    {
        var sut = FlagValue.FromFloat(value);

        Assert.Equal(json, sut.ToJson());
        var read = FlagValue.Parse(json);
        Assert.Equal(FlagValueKind.Float, read.Kind);
        Assert.Equal(value, read.AsFloat());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void FromFloat_NotFinite_Throws(double value)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => FlagValue.FromFloat(value));

        Assert.StartsWith("JSON numbers are finite: NaN and infinity cannot be flag values.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_StringWithControlCharactersAndLoneSurrogate_EscapesThem()
    {
        var sut = FlagValue.FromString("a\u0001b\tc\ud800d\U0001F600é");

        Assert.Equal("\"a\\u0001b\\tc\\ud800d\U0001F600é\"", sut.ToJson());
        Assert.Equal(sut, FlagValue.Parse(sut.ToJson()));
    }

    [Fact]
    public void Equals_IntegerAndFloatOfSameNumber_AreDifferent()
    {
        Assert.NotEqual(FlagValue.FromInteger(1), FlagValue.FromFloat(1.0));
        Assert.Equal(1.0, FlagValue.FromInteger(1).AsFloat());
    }

    [Fact]
    public void Equals_ObjectsWithPropertiesInAnotherOrder_AreEqualWithEqualHashCodes()
    {
        var left = FlagValue.Parse("{\"a\": 1, \"b\": [true, \"x\"]}");
        var right = FlagValue.Parse("{\"b\": [true, \"x\"], \"a\": 1}");

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, FlagValue.Parse("{\"a\": 1, \"b\": [\"x\", true]}"));
        Assert.NotEqual(left, FlagValue.Parse("{\"a\": 1}"));
    }

    [Fact]
    public void Equals_ValuesFromTextAndFromCode_IgnoreWhereTheTextWasRead()
    {
        var built = FlagValue.FromObject([new("k", FlagValue.FromArray([FlagValue.True, FlagValue.Null, FlagValue.FromString("s")]))]);

        Assert.Equal(built, FlagValue.Parse("\n\n  {\"k\": [true, null, \"s\"]}"));
    }

    [Fact]
    public void Accessor_OfAnotherKind_ThrowsNamingBothKinds()
    {
        var sut = FlagValue.FromString("on");

        var exception = Assert.Throws<InvalidOperationException>(() => sut.AsBoolean());

        Assert.Equal("The value is a string, not a boolean: \"on\"", exception.Message);
        Assert.Throws<InvalidOperationException>(() => sut.AsFloat());
        Assert.Throws<InvalidOperationException>(() => FlagValue.FromFloat(1.5).AsInteger());
    }

    [Fact]
    public void FindProperty_NotAnObjectOrMissing_ReturnsNull()
    {
        Assert.Null(FlagValue.FromInteger(1).FindProperty("a"));
        Assert.Null(FlagValue.Parse("{\"a\": 1}").FindProperty("b"));
        Assert.Equal(FlagValue.FromInteger(1), FlagValue.Parse("{\"a\": 1}").FindProperty("a"));
    }

    [Fact]
    public void Parse_InvalidJson_ThrowsFormatExceptionWithLineAndColumn()
    {
        var exception = Assert.Throws<FormatException>(() => FlagValue.Parse("{\n  \"a\": tru\n}"));

        Assert.Equal("Line 2, column 8: Invalid JSON: expected a value (an object, array, string, number, true, false or null), found 'tru'.", exception.Message);
    }

    [Fact]
    public void FromArray_NullItem_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => FlagValue.FromArray([FlagValue.True, null!]));
        Assert.Throws<ArgumentNullException>(() => FlagValue.FromObject([new KeyValuePair<string, FlagValue>("a", null!)]));
    }

    [Fact]
    public void FromObject_SourceListChangedAfterwards_ValueStaysTheSame()
    {
        var properties = new List<KeyValuePair<string, FlagValue>> { new("a", FlagValue.True) };
        var sut = FlagValue.FromObject(properties);

        properties.Add(new KeyValuePair<string, FlagValue>("b", FlagValue.False));

        Assert.Equal("{\"a\":true}", sut.ToJson());
    }
}
