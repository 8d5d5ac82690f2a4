using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Killswitch.Analyzers.CodeFixes.RemoveStaleFlag;

/// <summary>The documents of a Fix All scope with their diagnostics, for the fixers that edit sequentially.</summary>
internal static class FixAllDocuments
{
    public static async Task<List<(Document Document, ImmutableArray<Diagnostic> Diagnostics)>> DiagnosticsAsync(FixAllContext context, CancellationToken cancellationToken)
    {
        IEnumerable<Document> documents = context.Scope switch
        {
            FixAllScope.Document when context.Document is not null => new[] { context.Document },
            FixAllScope.Project => context.Project.Documents,
            FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents),
            _ => Enumerable.Empty<Document>(),
        };

        var result = new List<(Document, ImmutableArray<Diagnostic>)>();
        foreach (var document in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var diagnostics = await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
            if (!diagnostics.IsEmpty)
            {
                result.Add((document, diagnostics));
            }
        }

        return result;
    }
}
