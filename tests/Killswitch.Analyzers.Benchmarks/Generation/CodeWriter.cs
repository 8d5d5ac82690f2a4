using System.Text;

namespace Killswitch.Analyzers.Benchmarks.Generation;

/// <summary>Writes C# source with four-space indentation and '\n' line endings.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public int LineCount { get; private set; }

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        LineCount++;
        return this;
    }

    /// <summary>Writes the line, then opens a block: <c>{</c> on its own line and one more level of indentation.</summary>
    public CodeWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string closing = "}")
    {
        _indent--;
        Line(closing);
        return this;
    }

    public CodeWriter Indent()
    {
        _indent++;
        return this;
    }

    public CodeWriter Outdent()
    {
        _indent--;
        return this;
    }

    public override string ToString() => _text.ToString();
}
