using System.Collections.Generic;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Killswitch.Analyzers.Guards;

/// <summary>
/// The result of the guard dataflow over one control-flow graph: for every basic block, whether every path
/// from the graph's entry to it passes the "flag on" edge of a flag condition (a must-analysis, like the
/// platform-guard analysis behind CA1416).
/// </summary>
internal sealed class FlowGuards
{
    public FlowGuards(ControlFlowGraph graph, bool entryGuarded, FlowGuards? parent)
    {
        Graph = graph;
        EntryGuarded = entryGuarded;
        Parent = parent;
        Guarded = new bool[graph.Blocks.Length];
    }

    public ControlFlowGraph Graph { get; }

    public bool EntryGuarded { get; }

    /// <summary>The enclosing graph for a lambda or local function (captured locals live there).</summary>
    public FlowGuards? Parent { get; }

    /// <summary>Per block ordinal: true when the block only runs with the flag on.</summary>
    public bool[] Guarded { get; }

    /// <summary>Flow captures of this graph, by id (switch values, spilled conditions).</summary>
    public Dictionary<CaptureId, List<Microsoft.CodeAnalysis.IOperation>> Captures { get; } = new();
}
