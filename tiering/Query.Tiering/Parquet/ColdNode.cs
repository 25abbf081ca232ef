using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// One column of a cold file as a tree that mirrors its Parquet groups: leaves hold the column buffers,
/// inner nodes know the definition level at which they are present (Dremel). Every node is optional
/// except a map key; <see cref="PresentDefinition"/> is the definition level a leaf below reaches when this
/// node holds a value.
/// </summary>
internal abstract class ColdNode
{
    protected ColdNode(int presentDefinition, LeafColumn[] leaves)
    {
        PresentDefinition = presentDefinition;
        Leaves = leaves;
    }

    public int PresentDefinition { get; }

    /// <summary>Every leaf under this node, in schema order.</summary>
    public LeafColumn[] Leaves { get; }
}

internal sealed class LeafNode : ColdNode
{
    public LeafNode(LeafColumn column, int presentDefinition) : base(presentDefinition, [column]) =>
        Column = column;

    public LeafColumn Column { get; }
}

internal sealed class StructNode : ColdNode
{
    public StructNode(ColdNode[] children, int presentDefinition) : base(presentDefinition, LeavesOf(children)) =>
        Children = children;

    public ColdNode[] Children { get; }

    internal static LeafColumn[] LeavesOf(ColdNode[] nodes)
    {
        var leaves = new List<LeafColumn>();
        foreach (var node in nodes)
            leaves.AddRange(node.Leaves);
        return [.. leaves];
    }
}

/// <summary>A LIST (one child) or MAP (key and value children) whose entries repeat at <see cref="RepetitionLevel"/>.
/// Present but empty at <see cref="ColdNode.PresentDefinition"/>; entries exist at one level more.</summary>
internal sealed class RepeatedNode : ColdNode
{
    public RepeatedNode(ColdTypeKind kind, ColdNode[] children, int presentDefinition, int repetitionLevel)
        : base(presentDefinition, StructNode.LeavesOf(children))
    {
        Kind = kind;
        Children = children;
        RepetitionLevel = repetitionLevel;
    }

    public ColdTypeKind Kind { get; }
    public ColdNode[] Children { get; }
    public int RepetitionLevel { get; }
}
