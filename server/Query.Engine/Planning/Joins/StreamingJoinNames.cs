using Query.Engine.Binding;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// ksqlDB's names for the columns of a streaming join's result (push and persistent queries): <c>SELECT *</c> and
/// <c>a.*</c> list each column as <c>A_COL</c> (the relation's alias, or its name without one, then the column's
/// name), and a qualified pseudo-column (<c>a.ROWTIME</c>, <c>a.ROWOFFSET</c>, <c>a.ROWPARTITION</c>) is
/// <c>A_ROWTIME</c> and so on. A qualified column (<c>a.x</c>) keeps its own name, as PostgreSQL names it, unless
/// another output column would have that name too: then it takes ksqlDB's <c>A_X</c> (<c>SELECT a.x, b.x</c> gives
/// <c>a_x</c> and <c>b_x</c>, where PostgreSQL would give two columns named <c>x</c> that no sink can hold).
/// <para>Each stream of a streaming join carries its rows' ROWTIME, ROWPARTITION and ROWOFFSET as hidden columns at
/// the end of its relation (<see cref="HiddenColumns"/>), which the qualified pseudo-columns read.</para>
/// </summary>
internal static class StreamingJoinNames
{
    /// <summary>The pseudo-columns a stream's relation carries in a streaming join, after its own columns.</summary>
    public static readonly ColumnInfo[] HiddenColumns =
    [
        new("rowtime", SqlType.BigInt), new("rowpartition", SqlType.Int), new("rowoffset", SqlType.BigInt),
    ];

    /// <summary>Whether column <paramref name="name"/> is one of a relation's hidden pseudo-columns.</summary>
    public static bool IsHidden(string name) => Ast.PseudoColumns.Classify(name)
        is Ast.PseudoColumn.RowTime or Ast.PseudoColumn.RowPartition or Ast.PseudoColumn.RowOffset;

    /// <summary>The SELECT list with stars expanded and columns named as described above.</summary>
    public static Ast.Select Apply(Ast.Select select, BindScope scope)
    {
        var items = new List<Ast.SelectItem>(select.Items.Count);
        foreach (var item in select.Items)
        {
            if (item is Ast.AllColumns all)
                Expand(all, scope, items);
            else
                items.Add(item);
        }
        var bareNames = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (OutputName(item) is { } name)
                bareNames[name] = bareNames.GetValueOrDefault(name) + 1;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not Ast.SingleColumn { Alias: null, Expression: Ast.ColumnRef { Qualifier: { } q } column }
                single)
                continue;
            if (column.IsPseudoColumn || bareNames.GetValueOrDefault(column.Name.Value) > 1)
                items[i] = single with { Alias = Ast.Identifier.QuotedName($"{q.Value}_{column.Name.Value}") };
        }
        return select with { Items = Ast.EquatableArray.From(items) };
    }

    private static string? OutputName(Ast.SelectItem item) => item switch
    {
        Ast.SingleColumn { Alias: { } alias } => alias.Value,
        Ast.SingleColumn { Expression: Ast.ColumnRef column } => column.Name.Value,
        _ => null,
    };

    private static void Expand(Ast.AllColumns all, BindScope scope, List<Ast.SelectItem> items)
    {
        foreach (var relation in scope.Relations)
        {
            var qualifier = relation.Alias ?? relation.Name!;
            if (all.Qualifier is { } wanted)
            {
                scope.RangeOf(wanted.Value, all.Span.Start + 1);
                if (wanted.Value != qualifier)
                    continue;
            }
            for (var at = relation.Start; at < relation.Start + relation.Count; at++)
            {
                // A windowed source lists its keys and window bounds first (BindScope.StarOrdinals).
                var i = scope.StarOrdinals is { } order ? order[at] : at;
                var name = scope.Columns[i].Name;
                if (IsHidden(name))
                    continue;
                var reference = new Ast.ColumnRef(Ast.Identifier.QuotedName(qualifier), Ast.Identifier.QuotedName(name))
                {
                    Span = all.Span,
                };
                items.Add(new Ast.SingleColumn(reference, Ast.Identifier.QuotedName($"{qualifier}_{name}"))
                {
                    Span = all.Span,
                });
            }
        }
    }
}
