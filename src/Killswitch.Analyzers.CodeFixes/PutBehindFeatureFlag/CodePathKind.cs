namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>
/// The shape of the code path a KS1001 diagnostic reports (diagnostic property <c>KillswitchCodePathKind</c>);
/// it says what <c>Diagnostic.AdditionalLocations[0]</c> spans.
/// </summary>
internal enum CodePathKind
{
    /// <summary>A new member: the span is its body (a block or an expression body).</summary>
    Member,

    /// <summary>A new controller action: the span is its body.</summary>
    Action,

    /// <summary>A new branch: the if's or else's statement, a switch section, or a catch block.</summary>
    Branch,

    /// <summary>Added statements: from the first to the last statement of a contiguous group in one block.</summary>
    Statements,

    /// <summary>A new endpoint: the statement that contains the <c>Map*</c> call.</summary>
    Endpoint,

    /// <summary>A new lambda: the span is its body.</summary>
    Lambda,
}
