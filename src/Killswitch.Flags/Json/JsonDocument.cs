using System.Collections.Generic;

namespace Killswitch.Flags.Json;

/// <summary>
/// A JSON text read into <see cref="FlagValue"/>s, each remembering its character offset, with the first syntax error
/// if there was one. Line and column are computed from an offset only when a position is asked for.
/// </summary>
internal sealed class JsonDocument
{
    private int[]? _lineStarts;

    private JsonDocument(string text, FlagValue? root, JsonError? error)
    {
        Text = text;
        Root = root;
        Error = error;
    }

    public string Text { get; }

    /// <summary>The value, or null when <see cref="Error"/> is set.</summary>
    public FlagValue? Root { get; }

    /// <summary>The first syntax error; reading stops there.</summary>
    public JsonError? Error { get; }

    public static JsonDocument Parse(string text)
    {
        var parser = new JsonParser(text);
        var root = parser.Parse(out var error);
        return new JsonDocument(text, root, error);
    }

    /// <summary>Returns the 1-based line and column of a character offset. A column counts UTF-16 code units, a tab as one.</summary>
    public TextPosition GetPosition(int offset)
    {
        var lineStarts = _lineStarts ??= ComputeLineStarts(Text);
        if (offset < 0)
        {
            offset = 0;
        }

        // The last line start at or before the offset.
        var low = 0;
        var high = lineStarts.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (lineStarts[middle] <= offset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return new TextPosition(low + 1, offset - lineStarts[low] + 1);
    }

    // A line ends at \n, \r\n or a lone \r (as in Roslyn's SourceText).
    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }
}

/// <summary>A syntax error: where reading stopped and what was expected there.</summary>
internal readonly struct JsonError
{
    public JsonError(int offset, string message)
    {
        Offset = offset;
        Message = message;
    }

    public int Offset { get; }

    public string Message { get; }
}

/// <summary>A 1-based line and column.</summary>
internal readonly struct TextPosition
{
    public TextPosition(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }

    public override string ToString() => "line " + Line + ", column " + Column;
}
