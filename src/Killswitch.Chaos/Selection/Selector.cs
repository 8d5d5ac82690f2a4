using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Killswitch.Chaos;

/// <summary>
/// A Kubernetes label selector: <c>app=payments</c>, <c>app==payments</c>, <c>tier!=db</c>, <c>app in (a,b)</c>,
/// <c>env notin (prod)</c>, <c>canary</c> (key exists), <c>!canary</c> (key absent); requirements separated by commas are
/// ANDed. The empty selector matches every instance, as in Kubernetes. Parse errors carry the position.
/// </summary>
public sealed class Selector
{
    private readonly Requirement[] _requirements;

    private Selector(string text, Requirement[] requirements)
    {
        Text = text;
        _requirements = requirements;
    }

    /// <summary>The selector as written.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="SelectorParseException">The text is not a label selector.</exception>
    public static Selector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var selector, out var error) ? selector : throw error;
    }

    /// <summary>Parses <paramref name="text"/>, returning the parse error instead of throwing it.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Selector? selector, [NotNullWhen(false)] out SelectorParseException? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        try
        {
            selector = new Selector(text, parser.ParseAll());
            error = null;
            return true;
        }
        catch (SelectorParseException ex)
        {
            selector = null;
            error = ex;
            return false;
        }
    }

    /// <summary>Whether an instance with these labels is selected.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private enum Operator
    {
        Exists,
        NotExists,
        Equals,
        NotEquals,
        In,
        NotIn,
    }

    private sealed record Requirement(string Key, Operator Operator, string[] Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Operator switch
            {
                Operator.Exists => has,
                Operator.NotExists => !has,
                Operator.Equals or Operator.In => has && Values.Contains(value, StringComparer.Ordinal),
                // As in Kubernetes: '!=' and 'notin' also match instances that do not carry the key at all.
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value, StringComparer.Ordinal),
                _ => false,
            };
        }
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public Requirement[] ParseAll()
        {
            var result = new List<Requirement>();
            SkipSpaces();
            if (_pos == text.Length)
            {
                return [];
            }

            while (true)
            {
                result.Add(ParseRequirement());
                SkipSpaces();
                if (_pos == text.Length)
                {
                    return [.. result];
                }

                if (text[_pos] != ',')
                {
                    throw Error($"expected ',' between requirements but found '{text[_pos]}'");
                }

                _pos++;
                SkipSpaces();
                if (_pos == text.Length)
                {
                    throw Error("expected a requirement after ','");
                }
            }
        }

        private Requirement ParseRequirement()
        {
            if (text[_pos] == '!')
            {
                _pos++;
                SkipSpaces();
                var negated = ReadName("label key after '!'");
                return new Requirement(negated, Operator.NotExists, []);
            }

            var key = ReadName("label key");
            SkipSpaces();
            if (_pos == text.Length || text[_pos] == ',')
            {
                return new Requirement(key, Operator.Exists, []);
            }

            if (text[_pos] == '=')
            {
                _pos++;
                if (_pos < text.Length && text[_pos] == '=')
                {
                    _pos++;
                }

                return new Requirement(key, Operator.Equals, [ReadValue()]);
            }

            if (text[_pos] == '!' && _pos + 1 < text.Length && text[_pos + 1] == '=')
            {
                _pos += 2;
                return new Requirement(key, Operator.NotEquals, [ReadValue()]);
            }

            var wordStart = _pos;
            var word = ReadName("operator");
            var op = word switch
            {
                "in" => Operator.In,
                "notin" => Operator.NotIn,
                _ => throw Error($"unknown operator '{word}' (expected =, ==, !=, in or notin)", wordStart),
            };
            SkipSpaces();
            if (_pos == text.Length || text[_pos] != '(')
            {
                throw Error($"expected '(' after '{word}'");
            }

            _pos++;
            var values = new List<string>();
            while (true)
            {
                SkipSpaces();
                values.Add(ReadName("value"));
                SkipSpaces();
                if (_pos == text.Length)
                {
                    throw Error("expected ')' to close the value list");
                }

                if (text[_pos] == ')')
                {
                    _pos++;
                    return new Requirement(key, op, [.. values]);
                }

                if (text[_pos] != ',')
                {
                    throw Error($"expected ',' or ')' in the value list but found '{text[_pos]}'");
                }

                _pos++;
            }
        }

        private string ReadValue()
        {
            SkipSpaces();
            // Kubernetes allows an empty value ('tier=' selects instances whose tier label is empty).
            return _pos == text.Length || text[_pos] == ',' ? string.Empty : ReadName("value");
        }

        private string ReadName(string what)
        {
            var start = _pos;
            var sb = new StringBuilder();
            while (_pos < text.Length && IsNameChar(text[_pos]))
            {
                sb.Append(text[_pos]);
                _pos++;
            }

            if (sb.Length == 0)
            {
                throw _pos == text.Length
                    ? Error($"expected a {what} but the selector ended")
                    : Error($"expected a {what} but found '{text[_pos]}'");
            }

            if (sb.Length > 0 && (!char.IsLetterOrDigit(sb[0]) || !char.IsLetterOrDigit(sb[^1])) && !sb.ToString().Contains('/', StringComparison.Ordinal))
            {
                throw Error($"'{sb}' must begin and end with a letter or digit", start);
            }

            return sb.ToString();
        }

        private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/';

        private void SkipSpaces()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private SelectorParseException Error(string problem, int? at = null) => new(text, at ?? _pos, problem);
    }
}
