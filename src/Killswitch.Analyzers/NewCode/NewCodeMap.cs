using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.NewCode;

/// <summary>
/// What git says is new, as handed to the analyzers by Killswitch.Build in an AdditionalFile named
/// <c>*.killswitch-newcode</c>. The format (version 2; version 1 is still read) is line based, one
/// <c>key TAB value</c> per line:
/// <code>
/// killswitch-newcode  2
/// scope               Changed|All|None
/// base-ref            origin/main
/// merge-base          3f2a...
/// file                /abs/path/Foo.cs        (starts a file record; paths use '/')
/// status              added|modified|untracked
/// added               3-5,9-9                 (1-based inclusive line ranges in the working-tree file)
/// removed             4-4                     (version 2: lines removed, numbered in the base version; absent
///                                              when a modification only adds lines)
/// base-text           /abs/obj/.../Foo.cs.base (the file at the merge-base, also an AdditionalFile)
/// </code>
/// Lines starting with '#' are comments. Unknown keys are ignored so that newer writers stay readable. A version 1
/// file does not say what was removed, so every modified file is compared with its base version.
/// </summary>
internal sealed class NewCodeMap
{
    public const string FileSuffix = ".killswitch-newcode";
    public const string BaseTextSuffix = ".killswitch-base";

    /// <summary>The newest format version this reader knows.</summary>
    public const int LatestVersion = 2;

    private readonly Dictionary<string, NewCodeFile> _files;

    private NewCodeMap(NewCodeScope scope, string? baseRef, string? mergeBase, Dictionary<string, NewCodeFile> files)
    {
        Scope = scope;
        BaseRef = baseRef;
        MergeBase = mergeBase;
        _files = files;
    }

    public NewCodeScope Scope { get; }

    public string? BaseRef { get; }

    public string? MergeBase { get; }

    public IReadOnlyCollection<NewCodeFile> Files => _files.Values;

    /// <summary>A map in which everything is new or nothing is.</summary>
    public static NewCodeMap ForScope(NewCodeScope scope) =>
        new(scope, null, null, new Dictionary<string, NewCodeFile>(StringComparer.Ordinal));

    /// <summary>Finds the record of a source file (null when git reports it unchanged).</summary>
    public NewCodeFile? Find(string? path)
    {
        if (path is null || path.Length == 0)
        {
            return null;
        }

        return _files.TryGetValue(NormalizePath(path), out var file) ? file : null;
    }

    public static string NormalizePath(string path) => path.Replace('\\', '/');

    /// <summary>Parses the file; on failure returns null and an error naming the line and what was expected.</summary>
    public static NewCodeMap? Parse(SourceText text, out string? error, CancellationToken cancellationToken = default)
    {
        error = null;
        var scope = NewCodeScope.Changed;
        string? baseRef = null;
        string? mergeBase = null;
        var files = new Dictionary<string, NewCodeFile>(StringComparer.Ordinal);
        NewCodeFile? current = null;
        var sawHeader = false;
        var version = 0;

        foreach (var line in text.Lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var content = line.ToString();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            var tab = content.IndexOf('\t');
            var key = tab < 0 ? content.Trim() : content.Substring(0, tab);
            var value = tab < 0 ? string.Empty : content.Substring(tab + 1).Trim();
            var lineNumber = line.LineNumber + 1;

            if (!sawHeader)
            {
                if (key != "killswitch-newcode" || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out version)
                    || version < 1 || version > LatestVersion)
                {
                    error = $"line {lineNumber}: expected the header 'killswitch-newcode<TAB>{LatestVersion}' (or version 1)";
                    return null;
                }

                sawHeader = true;
                continue;
            }

            switch (key)
            {
                case "scope":
                    if (!TryParseScope(value, out scope))
                    {
                        error = $"line {lineNumber}: scope '{value}' is not one of Changed, All, None";
                        return null;
                    }

                    break;
                case "base-ref":
                    baseRef = value;
                    break;
                case "merge-base":
                    mergeBase = value;
                    break;
                case "file":
                    if (value.Length == 0)
                    {
                        error = $"line {lineNumber}: 'file' needs a path";
                        return null;
                    }

                    current = new NewCodeFile(NormalizePath(value), knowsRemovedLines: version >= 2);
                    files[current.Path] = current;
                    break;
                case "status":
                case "added":
                case "removed":
                case "base-text":
                    if (current is null)
                    {
                        error = $"line {lineNumber}: '{key}' before any 'file' line";
                        return null;
                    }

                    if (!current.TrySet(key, value, out var fieldError))
                    {
                        error = $"line {lineNumber}: {fieldError}";
                        return null;
                    }

                    break;
                default:
                    break;
            }
        }

        if (!sawHeader)
        {
            error = $"the file is empty; expected the header 'killswitch-newcode<TAB>{LatestVersion}'";
            return null;
        }

        return new NewCodeMap(scope, baseRef, mergeBase, files);
    }

    public static bool TryParseScope(string value, out NewCodeScope scope)
    {
        switch (value.Trim().ToUpperInvariant())
        {
            case "CHANGED":
                scope = NewCodeScope.Changed;
                return true;
            case "ALL":
                scope = NewCodeScope.All;
                return true;
            case "NONE":
                scope = NewCodeScope.None;
                return true;
            default:
                scope = NewCodeScope.Changed;
                return false;
        }
    }
}

/// <summary>How git sees one source file.</summary>
internal enum NewCodeFileStatus
{
    Modified,
    Added,
    Untracked,
}

/// <summary>One changed file: its added lines and, when modified, where its base version is.</summary>
internal sealed class NewCodeFile
{
    private static readonly char[] RangeSeparator = { ',' };
    private readonly List<(int Start, int End)> _added = new();
    private readonly List<(int Start, int End)> _removed = new();
    private readonly bool _knowsRemovedLines;

    public NewCodeFile(string path, bool knowsRemovedLines = false)
    {
        Path = path;
        _knowsRemovedLines = knowsRemovedLines;
    }

    public string Path { get; }

    public NewCodeFileStatus Status { get; private set; } = NewCodeFileStatus.Modified;

    public string? BaseTextPath { get; private set; }

    /// <summary>True when the whole file is new (added in the branch or not tracked by git).</summary>
    public bool IsWhollyNew => Status != NewCodeFileStatus.Modified;

    public IReadOnlyList<(int Start, int End)> AddedLines => _added;

    /// <summary>Lines removed, numbered in the base version (known from format version 2 on).</summary>
    public IReadOnlyList<(int Start, int End)> RemovedLines => _removed;

    /// <summary>
    /// True when the hand-over says this modified file only gained lines: its base version is the current text
    /// without the added lines, so it can be judged without parsing the base version.
    /// </summary>
    public bool OnlyAddsLines => Status == NewCodeFileStatus.Modified && _knowsRemovedLines && _removed.Count == 0;

    /// <summary>True when any line of the 0-based, inclusive range was added.</summary>
    public bool IntersectsAdded(LinePositionSpan span)
    {
        if (IsWhollyNew)
        {
            return true;
        }

        var first = span.Start.Line + 1;
        var last = span.End.Line + 1;
        foreach (var (start, end) in _added)
        {
            if (start <= last && first <= end)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the 0-based line was added.</summary>
    public bool IsLineAdded(int zeroBasedLine)
    {
        if (IsWhollyNew)
        {
            return true;
        }

        var line = zeroBasedLine + 1;
        foreach (var (start, end) in _added)
        {
            if (start <= line && line <= end)
            {
                return true;
            }
        }

        return false;
    }

    internal bool TrySet(string key, string value, out string? error)
    {
        error = null;
        switch (key)
        {
            case "status":
                switch (value)
                {
                    case "modified":
                        Status = NewCodeFileStatus.Modified;
                        return true;
                    case "added":
                        Status = NewCodeFileStatus.Added;
                        return true;
                    case "untracked":
                        Status = NewCodeFileStatus.Untracked;
                        return true;
                    default:
                        error = $"status '{value}' is not one of modified, added, untracked";
                        return false;
                }

            case "base-text":
                BaseTextPath = NewCodeMap.NormalizePath(value);
                return true;
            default:
                var ranges = key == "removed" ? _removed : _added;
                foreach (var part in value.Split(RangeSeparator, StringSplitOptions.RemoveEmptyEntries))
                {
                    var dash = part.IndexOf('-');
                    var startText = dash < 0 ? part : part.Substring(0, dash);
                    var endText = dash < 0 ? part : part.Substring(dash + 1);
                    if (!int.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                        || !int.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                        || start < 1 || end < start)
                    {
                        error = $"line range '{part}' is not of the form N-M with 1 <= N <= M";
                        return false;
                    }

                    ranges.Add((start, end));
                }

                return true;
        }
    }
}
