using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Killswitch.Flags.Json;

/// <summary>
/// A strict RFC 8259 reader (no comments, no trailing commas, no single quotes) written by hand because analyzers
/// hosted by Visual Studio on .NET Framework cannot rely on System.Text.Json. It stops at the first error and says
/// what it expected there. Nesting is limited to <see cref="MaxDepth"/> so no input can exhaust the stack.
/// </summary>
internal sealed class JsonParser
{
    public const int MaxDepth = 128;

    private const string ValueExpectation = "a value (an object, array, string, number, true, false or null)";

    private readonly string _text;
    private readonly List<KeyValuePair<string, FlagValue>> _propertyStack = [];
    private readonly List<int> _keyOffsetStack = [];
    private readonly List<FlagValue> _itemStack = [];
    private StringBuilder? _builder;
    private int _position;
    private int _depth;

    public JsonParser(string text) => _text = text;

    public FlagValue? Parse(out JsonError? error)
    {
        try
        {
            // A byte order mark may start the text (RFC 8259 section 8.1 lets a reader ignore it).
            if (_text.Length > 0 && _text[0] == '\uFEFF')
            {
                _position = 1;
            }

            SkipWhitespace();
            if (_position == _text.Length)
            {
                throw Fail(_position, "Invalid JSON: the file is empty; expected " + ValueExpectation + ".");
            }

            var root = ParseValue();
            SkipWhitespace();
            if (_position < _text.Length)
            {
                throw Fail(_position, "Invalid JSON: expected the end of the file after the top-level value, found " + DescribeAt(_position) + "." + HintAt(_position));
            }

            error = null;
            return root;
        }
        catch (SyntaxException exception)
        {
            error = exception.Error;
            return null;
        }
    }

    private FlagValue ParseValue()
    {
        SkipWhitespace();
        if (_position == _text.Length)
        {
            throw Expected(ValueExpectation);
        }

        var c = _text[_position];
        switch (c)
        {
            case '{':
                return ParseObject();
            case '[':
                return ParseArray();
            case '"':
                var start = _position;
                return FlagValue.CreateString(ParseString(), start);
            case 't':
                return ParseLiteral("true", FlagValue.CreateBoolean(value: true, _position));
            case 'f':
                return ParseLiteral("false", FlagValue.CreateBoolean(value: false, _position));
            case 'n':
                return ParseLiteral("null", FlagValue.CreateNull(_position));
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ParseNumber();
                }

                throw Expected(ValueExpectation);
        }
    }

    private FlagValue ParseObject()
    {
        var start = _position;
        Enter(start);
        _position++;
        var first = _propertyStack.Count;
        SkipWhitespace();
        if (Peek() != '}')
        {
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    if (Peek() == '}' && _propertyStack.Count > first)
                    {
                        throw Fail(_position, "Invalid JSON: expected a property name in double quotes, found '}'. JSON allows no comma before '}': remove the trailing comma.");
                    }

                    throw Expected("a property name in double quotes");
                }

                var keyOffset = _position;
                var name = ParseString();
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw Expected("':' after the property name");
                }

                _position++;
                var value = ParseValue();
                _propertyStack.Add(new KeyValuePair<string, FlagValue>(name, value));
                _keyOffsetStack.Add(keyOffset);
                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    _position++;
                    continue;
                }

                if (next == '}')
                {
                    break;
                }

                throw Expected("',' or '}' after a property of the object that starts at " + DescribeStart(start));
            }
        }

        _position++;
        _depth--;
        var count = _propertyStack.Count - first;
        var properties = new KeyValuePair<string, FlagValue>[count];
        var keyOffsets = new int[count];
        _propertyStack.CopyTo(first, properties, 0, count);
        _keyOffsetStack.CopyTo(first, keyOffsets, 0, count);
        _propertyStack.RemoveRange(first, count);
        _keyOffsetStack.RemoveRange(first, count);
        return FlagValue.CreateObject(properties, start, keyOffsets);
    }

    private FlagValue ParseArray()
    {
        var start = _position;
        Enter(start);
        _position++;
        var first = _itemStack.Count;
        SkipWhitespace();
        if (Peek() != ']')
        {
            while (true)
            {
                SkipWhitespace();
                if (Peek() == ']' && _itemStack.Count > first)
                {
                    throw Fail(_position, "Invalid JSON: expected " + ValueExpectation + ", found ']'. JSON allows no comma before ']': remove the trailing comma.");
                }

                _itemStack.Add(ParseValue());
                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    _position++;
                    continue;
                }

                if (next == ']')
                {
                    break;
                }

                throw Expected("',' or ']' after an item of the array that starts at " + DescribeStart(start));
            }
        }

        _position++;
        _depth--;
        var count = _itemStack.Count - first;
        var items = new FlagValue[count];
        _itemStack.CopyTo(first, items, 0, count);
        _itemStack.RemoveRange(first, count);
        return FlagValue.CreateArray(items, start);
    }

    private string ParseString()
    {
        var start = _position;
        _position++;

        // Fast path: no escapes.
        var i = _position;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c == '"')
            {
                _position = i + 1;
                return _text.Substring(start + 1, i - start - 1);
            }

            if (c == '\\' || c < ' ')
            {
                break;
            }

            i++;
        }

        var builder = _builder ??= new StringBuilder();
        builder.Clear();
        builder.Append(_text, start + 1, i - start - 1);
        _position = i;
        while (true)
        {
            if (_position == _text.Length)
            {
                throw Fail(_position, "Invalid JSON: expected '\"' to close the string that starts at " + DescribeStart(start) + ", found the end of the file.");
            }

            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw Fail(_position, string.Format(CultureInfo.InvariantCulture, "Invalid JSON: control character U+{0:X4} inside a string; write it as an escape sequence such as \\n, or close the string that starts at {1}.", (int)c, DescribeStart(start)));
            }

            if (c != '\\')
            {
                builder.Append(c);
                _position++;
                continue;
            }

            var escapeStart = _position;
            _position++;
            if (_position == _text.Length)
            {
                throw Fail(_position, "Invalid JSON: expected an escape sequence after '\\', found the end of the file.");
            }

            var escape = _text[_position];
            _position++;
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    var code = 0;
                    for (var digit = 0; digit < 4; digit++)
                    {
                        var hex = _position < _text.Length ? HexValue(_text[_position]) : -1;
                        if (hex < 0)
                        {
                            throw Fail(escapeStart, "Invalid JSON: expected four hexadecimal digits after '\\u', found " + DescribeAt(_position) + ".");
                        }

                        code = (code * 16) + hex;
                        _position++;
                    }

                    // Surrogates are kept as written: a pair becomes one character, a lone one stays (RFC 8259 section 8.2).
                    builder.Append((char)code);
                    break;
                default:
                    throw Fail(escapeStart, "Invalid JSON: '\\" + Printable(escape) + "' is not an escape sequence; use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.");
            }
        }
    }

    private FlagValue ParseNumber()
    {
        var start = _position;
        if (Peek() == '-')
        {
            _position++;
        }

        if (!IsDigit(Peek()))
        {
            throw Fail(_position, "Invalid JSON: expected a digit after '-', found " + DescribeAt(_position) + ".");
        }

        if (Peek() == '0' && IsDigit(PeekAt(_position + 1)))
        {
            throw Fail(start, "Invalid JSON: a number cannot start with 0 followed by more digits; write " + TrimLeadingZeros(start) + " or put the value in quotes.");
        }

        while (IsDigit(Peek()))
        {
            _position++;
        }

        var isInteger = true;
        if (Peek() == '.')
        {
            isInteger = false;
            _position++;
            if (!IsDigit(Peek()))
            {
                throw Fail(_position, "Invalid JSON: expected a digit after the decimal point, found " + DescribeAt(_position) + ".");
            }

            while (IsDigit(Peek()))
            {
                _position++;
            }
        }

        if (Peek() == 'e' || Peek() == 'E')
        {
            isInteger = false;
            _position++;
            if (Peek() == '+' || Peek() == '-')
            {
                _position++;
            }

            if (!IsDigit(Peek()))
            {
                throw Fail(_position, "Invalid JSON: expected a digit in the exponent, found " + DescribeAt(_position) + ".");
            }

            while (IsDigit(Peek()))
            {
                _position++;
            }
        }

        if (isInteger && TryParseInteger(start, _position, out var integer))
        {
            return FlagValue.CreateInteger(integer, start);
        }

        var literal = _text.Substring(start, _position - start);
        double number;
        try
        {
            number = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            // .NET Framework throws where .NET Core returns infinity.
            number = double.PositiveInfinity;
        }

        if (double.IsInfinity(number))
        {
            throw Fail(start, "Invalid JSON: the number " + literal + " is too large for a 64-bit float.");
        }

        return FlagValue.CreateFloat(number, start);
    }

    private bool TryParseInteger(int start, int end, out long value)
    {
        var negative = _text[start] == '-';
        var i = negative ? start + 1 : start;
        ulong magnitude = 0;
        for (; i < end; i++)
        {
            var digit = (ulong)(_text[i] - '0');
            if (magnitude > (ulong.MaxValue - digit) / 10)
            {
                value = 0;
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                value = 0;
                return false;
            }

            value = unchecked(-(long)magnitude);
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            value = 0;
            return false;
        }

        value = (long)magnitude;
        return true;
    }

    private FlagValue ParseLiteral(string literal, FlagValue value)
    {
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0
            || IsWordCharacter(PeekAt(_position + literal.Length)))
        {
            throw Expected(ValueExpectation);
        }

        _position += literal.Length;
        return value;
    }

    private void Enter(int start)
    {
        if (++_depth > MaxDepth)
        {
            throw Fail(start, string.Format(CultureInfo.InvariantCulture, "Invalid JSON: objects and arrays nest deeper than {0} levels here.", MaxDepth));
        }
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            {
                return;
            }

            _position++;
        }
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private char PeekAt(int index) => index < _text.Length ? _text[index] : '\0';

    private SyntaxException Expected(string what) =>
        Fail(_position, "Invalid JSON: expected " + what + ", found " + DescribeAt(_position) + "." + HintAt(_position));

    private static SyntaxException Fail(int offset, string message) => new(new JsonError(offset, message));

    /// <summary>What stands at an offset, for a message: a word whole (<c>'True'</c>), else one character.</summary>
    private string DescribeAt(int offset)
    {
        if (offset >= _text.Length)
        {
            return "the end of the file";
        }

        var c = _text[offset];
        if (IsWordCharacter(c))
        {
            var end = offset;
            while (end < _text.Length && end - offset < 32 && IsWordCharacter(_text[end]))
            {
                end++;
            }

            return "'" + _text.Substring(offset, end - offset) + "'";
        }

        if (c == '\'')
        {
            return "\"'\"";
        }

        var printable = Printable(c);
        return printable.Length == 1 ? "'" + printable + "'" : printable;
    }

    /// <summary>A fix for the mistakes people make most when they write JSON by hand.</summary>
    private string HintAt(int offset)
    {
        switch (PeekAt(offset))
        {
            case '/':
                return " JSON has no comments: remove the comment.";
            case '\'':
                return " JSON strings and property names use double quotes.";
            case 'T' when string.CompareOrdinal(_text, offset, "True", 0, 4) == 0:
            case 'F' when string.CompareOrdinal(_text, offset, "False", 0, 5) == 0:
            case 'N' when string.CompareOrdinal(_text, offset, "Null", 0, 4) == 0:
                return " JSON literals are lower case: true, false, null.";
            default:
                return string.Empty;
        }
    }

    private string DescribeStart(int offset)
    {
        var position = GetLineAndColumn(offset);
        return string.Format(CultureInfo.InvariantCulture, "line {0}, column {1}", position.Line, position.Column);
    }

    private TextPosition GetLineAndColumn(int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            var c = _text[i];
            if (c == '\n' || (c == '\r' && PeekAt(i + 1) != '\n'))
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new TextPosition(line, offset - lineStart + 1);
    }

    private string TrimLeadingZeros(int start)
    {
        var negative = _text[start] == '-';
        var i = negative ? start + 1 : start;
        var end = i;
        while (IsDigit(PeekAt(end)))
        {
            end++;
        }

        while (i < end - 1 && _text[i] == '0')
        {
            i++;
        }

        return (negative ? "-" : string.Empty) + _text.Substring(i, end - i);
    }

    private static string Printable(char c) =>
        c < ' ' || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? string.Format(CultureInfo.InvariantCulture, "U+{0:X4}", (int)c) : c.ToString();

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static int HexValue(char c) =>
        c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

    private sealed class SyntaxException : Exception
    {
        public SyntaxException(JsonError error) => Error = error;

        public JsonError Error { get; }
    }
}
