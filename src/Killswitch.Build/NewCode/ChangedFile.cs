using System.Collections.Generic;

namespace Killswitch.Build.NewCode;

/// <summary>How git sees a changed source file, in the hand-over's words.</summary>
internal enum ChangedFileStatus
{
    Modified,
    Added,
    Untracked,
}

/// <summary>A source file of the compilation that differs from the merge-base.</summary>
internal sealed class ChangedFile
{
    public ChangedFile(string fullPath, ChangedFileStatus status)
    {
        FullPath = fullPath;
        Status = status;
    }

    /// <summary>The path as the compiler sees it (the <c>@(Compile)</c> item's full path).</summary>
    public string FullPath { get; }

    public ChangedFileStatus Status { get; }

    /// <summary>Lines added relative to the merge-base (all lines for added files; empty for untracked ones).</summary>
    public List<LineRange> AddedLines { get; } = new();

    /// <summary>
    /// Lines removed relative to the merge-base, numbered in the base version (modified files only). Empty means the
    /// change only adds lines, so the analyzer can judge the file without parsing its base version.
    /// </summary>
    public List<LineRange> RemovedLines { get; } = new();

    /// <summary>Where the base version lives in the repository (differs from the current path after a rename).</summary>
    public string? BasePath { get; set; }

    public bool IsRenamed { get; set; }

    /// <summary>The file's bytes at the merge-base, for modified and renamed files.</summary>
    public byte[]? BaseText { get; set; }

    /// <summary>Where the base text was written (set by the task).</summary>
    public string? BaseTextPath { get; set; }
}
