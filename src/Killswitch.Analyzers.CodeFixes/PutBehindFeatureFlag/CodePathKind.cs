namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>
/// The shape of the code path a KS1001 diagnostic reports (diagnostic property <c>KillswitchCodePathKind</c>);
/// it says what <c>Diagnostic.AdditionalLocations[0]</c> spans. Mirrors the analyzer's internal enum by name.
/// </summary>
internal enum CodePathKind
{
    /// <summary>A new member: the span is its body (a block or an expression body).</summary>
    Member,

    /// <summary>A new controller action: the span is its body.</summary>
    Action,

    /// <summary>
    /// A new branch: an if (from the if keyword to the end of its statement, condition included), an else's
    /// statement, a switch section's statements, a switch-expression arm's expression, or a catch block.
    /// </summary>
    Branch,

    /// <summary>Added statements: from the first to the last statement of a contiguous group in one block.</summary>
    Statements,

    /// <summary>A new endpoint: the statement that contains the <c>Map*</c> call.</summary>
    Endpoint,
}
