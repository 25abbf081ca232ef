using Query.Engine.Errors;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>
/// The enclosing query as a subquery's binder sees it: a name the subquery's own FROM does not have is looked up
/// here (and, through the enclosing binder, in queries further out). Each enclosing value read becomes one
/// correlation of the subquery.
/// </summary>
public sealed class OuterScope(ExpressionBinder enclosing)
{
    private readonly List<BoundExpr> _correlations = [];

    public OuterRow Row { get; } = new();

    /// <summary>The enclosing expressions the subquery reads, in the order of their indexes.</summary>
    public IReadOnlyList<BoundExpr> Correlations => _correlations;

    /// <summary>Binds <paramref name="column"/> in the enclosing query; false when no enclosing query has it.
    /// </summary>
    public bool TryBind(Ast.ColumnRef column, out BoundExpr bound)
    {
        bound = null!;
        BoundExpr outer;
        try
        {
            outer = enclosing.Bind(column);
        }
        catch (SqlException e) when (e.SqlState is SqlState.UndefinedColumn or SqlState.UndefinedTable)
        {
            return false;
        }
        var index = _correlations.IndexOf(outer);
        if (index < 0)
        {
            index = _correlations.Count;
            _correlations.Add(outer);
        }
        bound = new BoundOuterColumn(Row, index, column.Name.Value, outer.Type);
        return true;
    }
}
