namespace Killswitch.Analyzers.Tests.Infrastructure;

/// <summary>The lines added between two texts (an LCS line diff, as git reports them), as N-M ranges.</summary>
internal static class LineDiff
{
    public static string AddedRanges(string before, string after)
    {
        var a = Split(before);
        var b = Split(after);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var added = new List<int>();
        int x = 0, y = 0;
        while (y < b.Length)
        {
            if (x < a.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (x < a.Length && lcs[x + 1, y] >= lcs[x, y + 1])
            {
                x++;
            }
            else
            {
                added.Add(y + 1);
                y++;
            }
        }

        var ranges = new List<string>();
        for (var i = 0; i < added.Count;)
        {
            var start = added[i];
            var end = start;
            while (i + 1 < added.Count && added[i + 1] == end + 1)
            {
                end = added[++i];
            }

            ranges.Add($"{start}-{end}");
            i++;
        }

        return string.Join(",", ranges);
    }

    private static string[] Split(string text) => text.Replace("\r\n", "\n").Split('\n');
}
