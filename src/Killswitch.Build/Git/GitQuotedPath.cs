using System.Collections.Generic;
using System.Text;

namespace Killswitch.Build.Git;

/// <summary>
/// Undoes git's C-style quoting of path names (<c>"a/t\303\244st\tx.cs"</c>). With <c>core.quotePath=off</c>
/// git still quotes names that hold a quote, a backslash or a control character.
/// </summary>
internal static class GitQuotedPath
{
    public static string Unquote(string text)
    {
        if (text.Length < 2 || text[0] != '"' || text[text.Length - 1] != '"')
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length - 1)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 't': bytes.Add(9); break;
                case 'n': bytes.Add(10); break;
                case 'v': bytes.Add(11); break;
                case 'f': bytes.Add(12); break;
                case 'r': bytes.Add(13); break;
                case >= '0' and <= '7' when i + 2 < text.Length - 1:
                    bytes.Add((byte)(((next - '0') << 6) | ((text[i + 1] - '0') << 3) | (text[i + 2] - '0')));
                    i += 2;
                    break;
                default:
                    bytes.AddRange(Encoding.UTF8.GetBytes(next.ToString()));
                    break;
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
