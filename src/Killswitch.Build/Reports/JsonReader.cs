using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Killswitch.Build.Reports;

/// <summary>
/// A small JSON reader for the compiler's SARIF log: objects become <see cref="Dictionary{TKey, TValue}"/>, arrays
/// <see cref="List{T}"/>, numbers <see cref="double"/>. The task assembly targets netstandard2.0 and loads inside
/// MSBuild, so it carries no JSON library whose version could clash with the one MSBuild loaded.
/// </summary>
internal sealed class JsonReader
{
    private readonly string _text;
    private int _position;

    private JsonReader(string text) => _text = text;

    /// <exception cref="FormatException">The text is not JSON; the message gives the offset.</exception>
    public static object? Parse(string text)
    {
        var reader = new JsonReader(text);
        var value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._position != text.Length)
        {
            throw reader.Error("unexpected text after the value");
        }

        return value;
    }

    private object? ReadValue()
    {
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            throw Error("unexpected end");
        }

        switch (_text[_position])
        {
            case '{':
                return ReadObject();
            case '[':
                return ReadArray();
            case '"':
                return ReadString();
            case 't':
                Expect("true");
                return true;
            case 'f':
                Expect("false");
                return false;
            case 'n':
                Expect("null");
                return null;
            default:
                return ReadNumber();
        }
    }

    private Dictionary<string, object?> ReadObject()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        _position++;
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Error("expected a property name");
            }

            var name = ReadString();
            SkipWhitespace();
            if (Peek() != ':')
            {
                throw Error("expected ':'");
            }

            _position++;
            result[name] = ReadValue();
            SkipWhitespace();
            var next = Peek();
            _position++;
            if (next == '}')
            {
                return result;
            }

            if (next != ',')
            {
                throw Error("expected ',' or '}'");
            }
        }
    }

    private List<object?> ReadArray()
    {
        var result = new List<object?>();
        _position++;
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return result;
        }

        while (true)
        {
            result.Add(ReadValue());
            SkipWhitespace();
            var next = Peek();
            _position++;
            if (next == ']')
            {
                return result;
            }

            if (next != ',')
            {
                throw Error("expected ',' or ']'");
            }
        }
    }

    private string ReadString()
    {
        var builder = new StringBuilder();
        _position++;
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_position++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_position >= _text.Length)
            {
                throw Error("unterminated escape");
            }

            var escape = _text[_position++];
            switch (escape)
            {
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("bad \\u escape");
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    builder.Append(escape);
                    break;
            }
        }
    }

    private double ReadNumber()
    {
        var start = _position;
        while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
        {
            _position++;
        }

        if (start == _position || !double.TryParse(_text.Substring(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Error("expected a value");
        }

        return value;
    }

    private void Expect(string literal)
    {
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            throw Error("expected '" + literal + "'");
        }

        _position += literal.Length;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private FormatException Error(string what) =>
        new(string.Format(CultureInfo.InvariantCulture, "Not valid JSON at offset {0}: {1}.", _position, what));
}
