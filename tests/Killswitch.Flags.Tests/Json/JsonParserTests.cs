using Killswitch.Flags.Json;

namespace Killswitch.Flags.Tests.Json;

public class JsonParserTests
{
    [Theory]
    [InlineData("true", FlagValueKind.Boolean, "true")]
    [InlineData("false", FlagValueKind.Boolean, "false")]
    [InlineData("null", FlagValueKind.Null, "null")]
    [InlineData("\"text\"", FlagValueKind.String, "\"text\"")]
    [InlineData("0", FlagValueKind.Integer, "0")]
    [InlineData("-0", FlagValueKind.Integer, "0")]
    [InlineData("42", FlagValueKind.Integer, "42")]
    [InlineData("-17", FlagValueKind.Integer, "-17")]
    [InlineData("9223372036854775807", FlagValueKind.Integer, "9223372036854775807")]
    [InlineData("-9223372036854775808", FlagValueKind.Integer, "-9223372036854775808")]
    [InlineData("9223372036854775808", FlagValueKind.Float, "9.223372036854776E+18")]
    [InlineData("1.5", FlagValueKind.Float, "1.5")]
    [InlineData("2.0", FlagValueKind.Float, "2.0")]
    [InlineData("-0.0", FlagValueKind.Float, "0.0")]
    [InlineData("1e3", FlagValueKind.Float, "1000.0")]
    [InlineData("1E-2", FlagValueKind.Float, "0.01")]
    [InlineData("2.5e+2", FlagValueKind.Float, "250.0")]
    [InlineData("[]", FlagValueKind.Array, "[]")]
    [InlineData("{}", FlagValueKind.Object, "{}")]
    public void Parse_Value_KeepsKindAndRoundTrips(string json, FlagValueKind kind, string written)
    {
        var sut = JsonDocument.Parse(json);

        Assert.Null(sut.Error);
        Assert.Equal(kind, sut.Root!.Kind);
        Assert.Equal(written, sut.Root.ToJson());
    }

    [Fact]
    public void Parse_NestedDocument_RecordsTheLineAndColumnOfEveryValueAndKey()
    {
        const string json = "{\n  \"a\": [1, {\"b\": true}],\n\t\"c\": \"x\"\n}";

        var sut = JsonDocument.Parse(json);

        var root = sut.Root!;
        Assert.Equal(new TextPosition(1, 1), sut.GetPosition(root.Offset));
        Assert.Equal(new TextPosition(2, 3), sut.GetPosition(root.KeyOffsets![0]));
        Assert.Equal(new TextPosition(3, 2), sut.GetPosition(root.KeyOffsets[1]));
        var array = root.FindProperty("a")!;
        Assert.Equal(new TextPosition(2, 8), sut.GetPosition(array.Offset));
        Assert.Equal(new TextPosition(2, 9), sut.GetPosition(array.AsArray()[0].Offset));
        var inner = array.AsArray()[1];
        Assert.Equal(new TextPosition(2, 12), sut.GetPosition(inner.Offset));
        Assert.Equal(new TextPosition(2, 18), sut.GetPosition(inner.FindProperty("b")!.Offset));
        Assert.Equal(new TextPosition(3, 7), sut.GetPosition(root.FindProperty("c")!.Offset));
    }

    [Theory]
    [InlineData("{\r\n\"a\": 1}")]
    [InlineData("{\n\"a\": 1}")]
    [InlineData("{\r\"a\": 1}")]
    public void GetPosition_AnyLineEnding_CountsOneLine(string json)
    {
        var sut = JsonDocument.Parse(json);

        Assert.Equal(new TextPosition(2, 6), sut.GetPosition(sut.Root!.FindProperty("a")!.Offset));
    }

    [Fact]
    public void Parse_ByteOrderMark_IsSkipped()
    {
        var sut = JsonDocument.Parse("\uFEFF{\"a\": 1}");

        Assert.Null(sut.Error);
        Assert.Equal(1, sut.Root!.FindProperty("a")!.AsInteger());
    }

    [Theory]
    [InlineData("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t")]
    [InlineData("\"caf\\u00e9\"", "café")]
    [InlineData("\"caf\\u00E9\"", "café")]
    [InlineData("\"\\ud83d\\ude00\"", "\U0001F600")]
    [InlineData("\"plain ✓ text\"", "plain ✓ text")]
    public void Parse_Escapes_AreDecoded(string json, string expected)
    {
        var sut = JsonDocument.Parse(json);

        Assert.Null(sut.Error);
        Assert.Equal(expected, sut.Root!.AsString());
    }

    [Fact]
    public void Parse_LoneSurrogateEscape_IsKeptAsWritten()
    {
        var sut = JsonDocument.Parse("\"\\ud800x\"");

        Assert.Null(sut.Error);
        Assert.Equal("\ud800x", sut.Root!.AsString());
    }

    [Fact]
    public void Parse_DuplicatePropertyNames_KeepsBothAndFindsTheLast()
    {
        var sut = JsonDocument.Parse("{\"a\": 1, \"a\": 2}").Root!;

        Assert.Equal(2, sut.AsObject().Count);
        Assert.Equal(2, sut.FindProperty("a")!.AsInteger());
    }

    [Theory]
    [InlineData("", 1, 1, "Invalid JSON: the file is empty; expected a value (an object, array, string, number, true, false or null).")]
    [InlineData("  \n  ", 2, 3, "Invalid JSON: the file is empty; expected a value (an object, array, string, number, true, false or null).")]
    [InlineData("{\"a\": 1,}", 1, 9, "Invalid JSON: expected a property name in double quotes, found '}'. JSON allows no comma before '}': remove the trailing comma.")]
    [InlineData("[1, 2,]", 1, 7, "Invalid JSON: expected a value (an object, array, string, number, true, false or null), found ']'. JSON allows no comma before ']': remove the trailing comma.")]
    [InlineData("{'a': 1}", 1, 2, "Invalid JSON: expected a property name in double quotes, found \"'\". JSON strings and property names use double quotes.")]
    [InlineData("{a: 1}", 1, 2, "Invalid JSON: expected a property name in double quotes, found 'a'.")]
    [InlineData("{\n  // note\n  \"a\": 1\n}", 2, 3, "Invalid JSON: expected a property name in double quotes, found '/'. JSON has no comments: remove the comment.")]
    [InlineData("[1 /* note */]", 1, 4, "Invalid JSON: expected ',' or ']' after an item of the array that starts at line 1, column 1, found '/'. JSON has no comments: remove the comment.")]
    [InlineData("{\"a\" 1}", 1, 6, "Invalid JSON: expected ':' after the property name, found '1'.")]
    [InlineData("{\"a\": 1 \"b\": 2}", 1, 9, "Invalid JSON: expected ',' or '}' after a property of the object that starts at line 1, column 1, found '\"'.")]
    [InlineData("[1 2]", 1, 4, "Invalid JSON: expected ',' or ']' after an item of the array that starts at line 1, column 1, found '2'.")]
    [InlineData("{\"a\": [1, 2}", 1, 12, "Invalid JSON: expected ',' or ']' after an item of the array that starts at line 1, column 7, found '}'.")]
    [InlineData("{\"a\": 1", 1, 8, "Invalid JSON: expected ',' or '}' after a property of the object that starts at line 1, column 1, found the end of the file.")]
    [InlineData("\"abc", 1, 5, "Invalid JSON: expected '\"' to close the string that starts at line 1, column 1, found the end of the file.")]
    [InlineData("[\"ab\ncd\"]", 1, 5, "Invalid JSON: control character U+000A inside a string; write it as an escape sequence such as \\n, or close the string that starts at line 1, column 2.")]
    [InlineData("\"a\\x\"", 1, 3, "Invalid JSON: '\\x' is not an escape sequence; use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.")]
    [InlineData("\"\\u12G4\"", 1, 2, "Invalid JSON: expected four hexadecimal digits after '\\u', found 'G4'.")]
    [InlineData("\"\\u12", 1, 2, "Invalid JSON: expected four hexadecimal digits after '\\u', found the end of the file.")]
    [InlineData("\"a\\", 1, 4, "Invalid JSON: expected an escape sequence after '\\', found the end of the file.")]
    [InlineData("[012]", 1, 2, "Invalid JSON: a number cannot start with 0 followed by more digits; write 12 or put the value in quotes.")]
    [InlineData("-", 1, 2, "Invalid JSON: expected a digit after '-', found the end of the file.")]
    [InlineData("-x", 1, 2, "Invalid JSON: expected a digit after '-', found 'x'.")]
    [InlineData("1.", 1, 3, "Invalid JSON: expected a digit after the decimal point, found the end of the file.")]
    [InlineData("1e+", 1, 4, "Invalid JSON: expected a digit in the exponent, found the end of the file.")]
    [InlineData("+1", 1, 1, "Invalid JSON: expected a value (an object, array, string, number, true, false or null), found '+'.")]
    [InlineData(".5", 1, 1, "Invalid JSON: expected a value (an object, array, string, number, true, false or null), found '.'.")]
    [InlineData("NaN", 1, 1, "Invalid JSON: expected a value (an object, array, string, number, true, false or null), found 'NaN'.")]
    [InlineData("tru", 1, 1, "Invalid JSON: expected a value (an object, array, string, number, true, false or null), found 'tru'.")]
    [InlineData("nullish", 1, 1, "Invalid JSON: expected a value (an object, array, string, number, true, false or null), found 'nullish'.")]
    [InlineData("{\"on\": True}", 1, 8, "Invalid JSON: expected a value (an object, array, string, number, true, false or null), found 'True'. JSON literals are lower case: true, false, null.")]
    [InlineData("1e400", 1, 1, "Invalid JSON: the number 1e400 is too large for a 64-bit float.")]
    [InlineData("{} {}", 1, 4, "Invalid JSON: expected the end of the file after the top-level value, found '{'.")]
    [InlineData("{\"a\":\u00a01}", 1, 6, "Invalid JSON: expected a value (an object, array, string, number, true, false or null), found U+00A0.")]
    public void Parse_InvalidJson_ReportsTheFirstErrorWithPositionAndExpectation(string json, int line, int column, string message)
    {
        var sut = JsonDocument.Parse(json);

        Assert.Null(sut.Root);
        var error = Assert.NotNull(sut.Error);
        Assert.Equal(message, error.Message);
        Assert.Equal(new TextPosition(line, column), sut.GetPosition(error.Offset));
    }

    [Fact]
    public void Parse_NestingDeeperThanTheLimit_ReportsInsteadOfOverflowingTheStack()
    {
        var json = new string('[', JsonParser.MaxDepth + 1) + new string(']', JsonParser.MaxDepth + 1);

        var sut = JsonDocument.Parse(json);

        var error = Assert.NotNull(sut.Error);
        Assert.Equal("Invalid JSON: objects and arrays nest deeper than 128 levels here.", error.Message);
        Assert.Equal(new TextPosition(1, JsonParser.MaxDepth + 1), sut.GetPosition(error.Offset));
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsAccepted()
    {
        var json = new string('[', JsonParser.MaxDepth) + new string(']', JsonParser.MaxDepth);

        var sut = JsonDocument.Parse(json);

        Assert.Null(sut.Error);
    }

    [Fact]
    public void Parse_HugeInput_StopsAtTheFirstError()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("1", 10_000)) + ",x," + string.Join(",", Enumerable.Repeat("y", 10)) + "]";

        var sut = JsonDocument.Parse(json);

        var error = Assert.NotNull(sut.Error);
        Assert.Equal(20_001, error.Offset);
        Assert.EndsWith("found 'x'.", error.Message, StringComparison.Ordinal);
    }
}
