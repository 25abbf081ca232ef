using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// Dremel shredding of one value into its leaves' buffers: every leaf gets one level entry per value slot it
/// could hold; a NULL or empty ancestor writes one entry (at the ancestor's level) into every leaf below it.
/// </summary>
internal static class RowShredder
{
    /// <summary>Shreds a top-level column value (the row's first entry: repetition level 0).</summary>
    public static void Shred(ColdNode node, in ColdValue value) => Shred(node, value, 0, 0);

    private static void Shred(ColdNode node, in ColdValue value, int parentDefinition, int repetition)
    {
        switch (node)
        {
            case LeafNode leaf:
                if (value.IsNull)
                {
                    if (leaf.PresentDefinition == parentDefinition)
                        throw new ArgumentException($"{leaf.Column.Field.Path} is required (a map key) but is NULL");
                    leaf.Column.AddLevels(parentDefinition, repetition);
                    return;
                }
                leaf.Column.AddValue(value);
                leaf.Column.AddLevels(leaf.PresentDefinition, repetition);
                return;
            case StructNode structNode:
                if (value.IsNull)
                {
                    AddLevels(node, parentDefinition, repetition);
                    return;
                }
                var fields = (ColdValue[])value.Ref!;
                for (var i = 0; i < structNode.Children.Length; i++)
                    Shred(structNode.Children[i], fields[i], structNode.PresentDefinition, repetition);
                return;
            case RepeatedNode repeated:
                ShredRepeated(repeated, value, parentDefinition, repetition);
                return;
        }
    }

    private static void ShredRepeated(RepeatedNode node, in ColdValue value, int parentDefinition, int repetition)
    {
        if (value.IsNull)
        {
            AddLevels(node, parentDefinition, repetition);
            return;
        }
        var entryDefinition = node.PresentDefinition + 1;
        if (node.Kind == ColdTypeKind.List)
        {
            var items = (IReadOnlyList<ColdValue>)value.Ref!;
            if (items.Count == 0)
                AddLevels(node, node.PresentDefinition, repetition);
            for (var i = 0; i < items.Count; i++)
                Shred(node.Children[0], items[i], entryDefinition, i == 0 ? repetition : node.RepetitionLevel);
            return;
        }
        var entries = (IReadOnlyList<KeyValuePair<ColdValue, ColdValue>>)value.Ref!;
        if (entries.Count == 0)
            AddLevels(node, node.PresentDefinition, repetition);
        for (var i = 0; i < entries.Count; i++)
        {
            var level = i == 0 ? repetition : node.RepetitionLevel;
            Shred(node.Children[0], entries[i].Key, entryDefinition, level);
            Shred(node.Children[1], entries[i].Value, entryDefinition, level);
        }
    }

    private static void AddLevels(ColdNode node, int definition, int repetition)
    {
        foreach (var leaf in node.Leaves)
            leaf.AddLevels(definition, repetition);
    }
}
