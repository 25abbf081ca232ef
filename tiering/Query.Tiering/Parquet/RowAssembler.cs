using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// The inverse of <see cref="RowShredder"/>: rebuilds one top-level value from its leaves' level entries.
/// Whether a node is NULL, empty or present is read from the definition level of its first leaf.
/// </summary>
internal static class RowAssembler
{
    public static ColdValue Assemble(ColdNode node)
    {
        if (node is LeafNode leaf)
            return leaf.Column.Take();
        var definition = node.Leaves[0].PeekDefinition;
        if (definition < node.PresentDefinition)
        {
            Skip(node);
            return ColdValue.Null;
        }
        if (node is StructNode structNode)
        {
            var fields = new ColdValue[structNode.Children.Length];
            for (var i = 0; i < fields.Length; i++)
                fields[i] = Assemble(structNode.Children[i]);
            return ColdValue.FromRef(fields);
        }
        var repeated = (RepeatedNode)node;
        if (definition == repeated.PresentDefinition)
        {
            Skip(node);
            return repeated.Kind == ColdTypeKind.List
                ? ColdValue.FromRef(Array.Empty<ColdValue>())
                : ColdValue.FromRef(Array.Empty<KeyValuePair<ColdValue, ColdValue>>());
        }
        return repeated.Kind == ColdTypeKind.List ? AssembleList(repeated) : AssembleMap(repeated);
    }

    private static ColdValue AssembleList(RepeatedNode node)
    {
        var items = new List<ColdValue>();
        do
            items.Add(Assemble(node.Children[0]));
        while (node.Leaves[0].PeekRepetition == node.RepetitionLevel);
        return ColdValue.FromRef(items.ToArray());
    }

    private static ColdValue AssembleMap(RepeatedNode node)
    {
        var entries = new List<KeyValuePair<ColdValue, ColdValue>>();
        do
        {
            var key = Assemble(node.Children[0]);
            var value = Assemble(node.Children[1]);
            entries.Add(new(key, value));
        }
        while (node.Leaves[0].PeekRepetition == node.RepetitionLevel);
        return ColdValue.FromRef(entries.ToArray());
    }

    private static void Skip(ColdNode node)
    {
        foreach (var leaf in node.Leaves)
            leaf.Skip();
    }
}
