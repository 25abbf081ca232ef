using Query.Engine.WindowFunctions;

namespace Query.Engine.Planning.Logical;

public sealed partial class ExplainPrinter
{
    /// <summary><c>Window row_number() OVER (PARTITION BY a ORDER BY b ASC NULLS LAST) BIGINT, ...</c></summary>
    public override bool VisitWindow(LogicalWindow window)
    {
        Line().Append("Window ");
        var columns = window.Input.Columns;
        for (var i = 0; i < window.Functions.Count; i++)
        {
            var function = window.Functions[i];
            _builder.Append(i == 0 ? "" : ", ").Append(function.Name).Append('(');
            for (var a = 0; a < function.Arguments.Count; a++)
                _builder.Append(a == 0 ? "" : ", ").Append(columns[function.Arguments[a]].Name);
            if (function.Kind == WindowFunctionKind.Aggregate && function.Arguments.Count == 0)
                _builder.Append('*');
            _builder.Append(") OVER (");
            for (var p = 0; p < function.PartitionBy.Count; p++)
                _builder.Append(p == 0 ? "PARTITION BY " : ", ").Append(columns[function.PartitionBy[p]].Name);
            for (var o = 0; o < function.OrderBy.Count; o++)
            {
                var key = function.OrderBy[o];
                _builder.Append(o == 0 ? (function.PartitionBy.Count > 0 ? " ORDER BY " : "ORDER BY ") : ", ")
                    .Append(columns[key.Column].Name).Append(key.Descending ? " DESC" : " ASC")
                    .Append(key.NullsFirst ? " NULLS FIRST" : " NULLS LAST");
            }
            if (WindowFunctionCatalog.UsesFrame(function.Kind))
                _builder.Append(function.PartitionBy.Count + function.OrderBy.Count > 0 ? " " : "")
                    .Append(function.Frame);
            _builder.Append(") ").Append(function.ResultType);
        }
        _builder.AppendLine();
        return Child(window.Input);
    }

    /// <summary>A windowed table's lookup: <c>; windows WINDOWSTART &gt;= 60000, WINDOWEND &lt;= 120000</c>.</summary>
    private void AppendWindowBounds(LogicalKeyLookup lookup)
    {
        for (var i = 0; i < lookup.WindowBounds.Count; i++)
        {
            var bound = lookup.WindowBounds[i];
            _builder.Append(i == 0 ? "; windows " : ", ").Append(bound.End ? "WINDOWEND " : "WINDOWSTART ")
                .Append(bound.Op switch
                {
                    Binding.BinaryOp.Less => "<",
                    Binding.BinaryOp.LessOrEqual => "<=",
                    Binding.BinaryOp.Greater => ">",
                    Binding.BinaryOp.GreaterOrEqual => ">=",
                    _ => "=",
                }).Append(' ').Append(BoundExprText.Format(bound.Value));
        }
    }
}
