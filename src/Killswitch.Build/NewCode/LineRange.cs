using System;
using System.Collections.Generic;
using System.Globalization;

namespace Killswitch.Build.NewCode;

/// <summary>A 1-based, inclusive range of lines in the working-tree file.</summary>
internal readonly struct LineRange : IEquatable<LineRange>
{
    public LineRange(int start, int end)
    {
        if (start < 1 || end < start)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"'{start}-{end}' is not a range of 1-based lines");
        }

        Start = start;
        End = end;
    }

    public int Start { get; }

    public int End { get; }

    /// <summary>Adds one line to sorted ranges, extending the last range when the line follows it.</summary>
    public static void AddLine(List<LineRange> ranges, int line)
    {
        if (ranges.Count > 0)
        {
            var last = ranges[ranges.Count - 1];
            if (line >= last.Start && line <= last.End + 1)
            {
                ranges[ranges.Count - 1] = new LineRange(last.Start, Math.Max(last.End, line));
                return;
            }
        }

        ranges.Add(new LineRange(line, line));
    }

    /// <summary>The hand-over form: <c>3-5,9-9</c>.</summary>
    public static string Format(IEnumerable<LineRange> ranges) => string.Join(",", ranges);

    public override string ToString() => Start.ToString(CultureInfo.InvariantCulture) + "-" + End.ToString(CultureInfo.InvariantCulture);

    public bool Equals(LineRange other) => Start == other.Start && End == other.End;

    public override bool Equals(object? obj) => obj is LineRange other && Equals(other);

    public override int GetHashCode() => (Start * 397) ^ End;

    public static bool operator ==(LineRange left, LineRange right) => left.Equals(right);

    public static bool operator !=(LineRange left, LineRange right) => !left.Equals(right);
}
