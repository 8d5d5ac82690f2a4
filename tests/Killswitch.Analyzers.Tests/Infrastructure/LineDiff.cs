namespace Killswitch.Analyzers.Tests.Infrastructure;

/// <summary>The lines added and removed between two texts (an LCS line diff, as git reports them), as N-M ranges.</summary>
internal static class LineDiff
{
    /// <summary>Lines of <paramref name="after"/> that are not in <paramref name="before"/>.</summary>
    public static string AddedRanges(string before, string after) => Ranges(Diff(before, after).Added);

    /// <summary>Lines of <paramref name="before"/> that are not in <paramref name="after"/> (numbered in <paramref name="before"/>).</summary>
    public static string RemovedRanges(string before, string after) => Ranges(Diff(before, after).Removed);

    private static (List<int> Added, List<int> Removed) Diff(string before, string after)
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
        var removed = new List<int>();
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
                removed.Add(x + 1);
                x++;
            }
            else
            {
                added.Add(y + 1);
                y++;
            }
        }

        for (; x < a.Length; x++)
        {
            removed.Add(x + 1);
        }

        return (added, removed);
    }

    private static string Ranges(List<int> added)
    {
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
