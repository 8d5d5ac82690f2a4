using System;
using System.Globalization;

namespace Killswitch.Flags;

/// <summary>A place in a manifest file: its path as given, and a 1-based line and column (UTF-16 code units, a tab counts one).</summary>
#if KILLSWITCH_FLAGS_INTERNAL
internal
#else
public
#endif
readonly struct SourceLocation : IEquatable<SourceLocation>
{
    /// <summary>Creates a location.</summary>
    public SourceLocation(string filePath, int line, int column)
    {
        FilePath = filePath ?? throw new ArgumentNullException(nameof(filePath));
        Line = line;
        Column = column;
    }

    /// <summary>The path of the file, as it was given to <see cref="FlagManifest"/>.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line.</summary>
    public int Line { get; }

    /// <summary>The 1-based column.</summary>
    public int Column { get; }

    /// <summary>Whether two locations are equal.</summary>
    public static bool operator ==(SourceLocation left, SourceLocation right) => left.Equals(right);

    /// <summary>Whether two locations differ.</summary>
    public static bool operator !=(SourceLocation left, SourceLocation right) => !left.Equals(right);

    /// <summary>The location as MSBuild and compilers print it: <c>path(line,column)</c>.</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}({1},{2})", FilePath, Line, Column);

    /// <inheritdoc />
    public bool Equals(SourceLocation other) =>
        string.Equals(FilePath, other.FilePath, StringComparison.Ordinal) && Line == other.Line && Column == other.Column;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SourceLocation other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked((((FilePath?.GetHashCode() ?? 0) * 31) + Line) * 31 + Column);
}
