using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// The operations of a member body whose syntax lies in a code path's region, found without walking the rest of the
/// body: an operation's children lie in its own syntax, so a subtree whose syntax misses the region holds none. A
/// member with many new paths was walked whole once per path (docs/performance.md).
/// </summary>
internal static class RegionOperations
{
    /// <summary>The descendants of <paramref name="body"/> (not itself) inside <paramref name="region"/>, in tree order.</summary>
    public static List<IOperation> Within(IOperation body, TextSpan region)
    {
        var found = new List<IOperation>();
        Add(body, region, found);
        return found;
    }

    /// <summary>Whether anything under <paramref name="operation"/> (or it) may lie in <paramref name="region"/>.</summary>
    public static bool MayMeet(IOperation operation, TextSpan region) => operation.Syntax.Span.IntersectsWith(region);

    private static void Add(IOperation operation, TextSpan region, List<IOperation> found)
    {
        foreach (var child in operation.ChildOperations)
        {
            if (!MayMeet(child, region))
            {
                continue;
            }

            if (region.Contains(child.Syntax.Span))
            {
                found.Add(child);
            }

            Add(child, region, found);
        }
    }
}
