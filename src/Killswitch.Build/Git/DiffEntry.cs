using System.Collections.Generic;
using Killswitch.Build.NewCode;

namespace Killswitch.Build.Git;

/// <summary>One file of a <c>git diff</c>: its paths relative to the repository root and the lines it adds and removes.</summary>
internal sealed class DiffEntry
{
    /// <summary>The path at the merge-base; null when the file is new.</summary>
    public string? OldPath { get; set; }

    /// <summary>The path in the working tree; null when the file was deleted.</summary>
    public string? NewPath { get; set; }

    public bool IsNew { get; set; }

    public bool IsDeleted { get; set; }

    /// <summary>Renamed or copied: the base version lives at <see cref="OldPath"/>.</summary>
    public bool IsRenamed { get; set; }

    public bool IsBinary { get; set; }

    /// <summary>False when git listed the file without a change to its lines (a mode change, or a file whose
    /// cached stat information is stale but whose content is the same).</summary>
    public bool HasHunks { get; set; }

    public List<LineRange> AddedLines { get; } = new();

    /// <summary>Lines removed, numbered in the base version (empty when the change only adds lines).</summary>
    public List<LineRange> RemovedLines { get; } = new();
}
