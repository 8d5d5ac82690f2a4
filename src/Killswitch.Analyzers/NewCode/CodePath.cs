using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.NewCode;

/// <summary>The kinds of code path KS1001 reports (diagnostic property <c>KillswitchCodePathKind</c>).</summary>
internal enum CodePathKind
{
    /// <summary>A new method, constructor, accessor, operator or local function body.</summary>
    Member,

    /// <summary>A new public action of an MVC/API controller.</summary>
    Action,

    /// <summary>A new if/else branch, switch section or arm, or catch clause inside an existing body.</summary>
    Branch,

    /// <summary>Added statements with behaviour (a call, an object creation, a throw) inside an existing body.</summary>
    Statements,

    /// <summary>A new minimal-API endpoint (<c>MapGet</c>, <c>MapPost</c>, ...).</summary>
    Endpoint,
}

/// <summary>One new code path: what must be guarded, where to report it, and how to name it.</summary>
internal sealed class CodePath
{
    public CodePath(
        CodePathKind kind,
        SyntaxNode node,
        TextSpan region,
        Location anchor,
        SyntaxNode? executableRoot,
        string description,
        string baselineSuffix,
        string flagKeySeed)
    {
        Kind = kind;
        Node = node;
        Region = region;
        Anchor = anchor;
        ExecutableRoot = executableRoot;
        Description = description;
        BaselineSuffix = baselineSuffix;
        FlagKeySeed = flagKeySeed;
    }

    public CodePathKind Kind { get; }

    /// <summary>The construct: the member, the branch statement/clause, the first statement, the Map call.</summary>
    public SyntaxNode Node { get; }

    /// <summary>The span whose behaviour must be guarded (a body, a branch's statement, a statement run).</summary>
    public TextSpan Region { get; }

    /// <summary>Where the diagnostic is reported.</summary>
    public Location Anchor { get; }

    /// <summary>The member declaration (or compilation unit for top-level code) whose flow graph holds the region.</summary>
    public SyntaxNode? ExecutableRoot { get; }

    /// <summary>How the message names the code path, e.g. "Endpoint 'GET /orders'".</summary>
    public string Description { get; }

    /// <summary>Appended to the containing member's name to make the baseline key (empty for members).</summary>
    public string BaselineSuffix { get; }

    /// <summary>The name the suggested flag key is derived from.</summary>
    public string FlagKeySeed { get; }
}
