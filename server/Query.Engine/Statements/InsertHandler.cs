using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// INSERT INTO s [(cols)] VALUES (...), (...): every value is bound with PostgreSQL's assignment casts and
/// evaluated before anything is written; the statement is all or nothing. ROWTIME may be listed as a target to
/// set the record time (as ksqlDB allows); ROWOFFSET and ROWPARTITION may not.
/// </summary>
internal delegate void RowAppenderAdd(ReadOnlySpan<Cell> row, long? explicitTimestampMs);

internal static class InsertHandler
{
    internal const int RowTimeTarget = -1;

    public static IReadOnlyList<ColumnInfo> Describe(EngineSession session, Ast.InsertValues insert,
        ParameterTypes parameters)
    {
        Bind(session, insert, parameters, values: null, add: null);
        if (insert.Conflict is not null)
            UpsertHandler.Describe(session, insert, parameters);
        return [];
    }

    /// <summary>Runs the statement; <paramref name="prepared"/> (when not null) keeps its <see cref="InsertPlan"/>
    /// between executions.</summary>
    public static async ValueTask<StatementResult> ExecuteAsync(EngineSession session, Ast.InsertValues insert,
        IReadOnlyList<object?> parameters, PreparedStatement? prepared, CancellationToken cancellationToken)
    {
        if (insert.Conflict is not null)
            return await UpsertHandler.ExecuteAsync(session, insert, parameters, cancellationToken);
        if (prepared is not null && InsertPlan.For(session, prepared, insert) is { Stream: { } planned } plan)
        {
            using var plannedAppender = new RowAppender(planned);
            plan.AddRows(parameters, plannedAppender);
            return Inserted(await plannedAppender.CommitAsync(cancellationToken));
        }
        var stream = session.Engine.GetStream(EngineSession.SourceName(insert.Target), insert.Target.Span.Start + 1);
        using var appender = new RowAppender(stream);
        Bind(session, insert, new ParameterTypes(), parameters, appender.Add);
        return Inserted(await appender.CommitAsync(cancellationToken));
    }

    private static readonly StatementResult InsertedOne = StatementResult.Command("INSERT 0 1");

    private static StatementResult Inserted(long count) =>
        count == 1 ? InsertedOne : StatementResult.Command($"INSERT 0 {count}");

    /// <summary>Binds every row; with <paramref name="values"/> evaluates each into a full-width row (the array is
    /// reused: <paramref name="add"/> copies what it keeps) with its explicit ROWTIME, if any.</summary>
    internal static void Bind(EngineSession session, Ast.InsertValues insert, ParameterTypes parameters,
        IReadOnlyList<object?>? values, RowAppenderAdd? add)
    {
        var stream = session.Engine.GetStream(EngineSession.SourceName(insert.Target), insert.Target.Span.Start + 1);
        var columns = stream.Definition.Columns;
        var targets = Targets(insert, columns, stream.Definition);
        CheckNoHeaderTargets(insert, stream.Definition, targets);
        var binder = new ExpressionBinder(BindScope.Empty, parameters) { ParameterValues = values };
        var row = new Cell[columns.Count];
        foreach (var valuesRow in insert.Rows)
        {
            CheckArity(valuesRow, targets.Count);
            row.AsSpan().Fill(Cell.Null);
            long? timestamp = null;
            for (var i = 0; i < targets.Count; i++)
            {
                var target = targets[i];
                var (bound, type) = target == RowTimeTarget
                    ? BindRowTime(binder, valuesRow.Values[i])
                    : (binder.BindAs(valuesRow.Values[i], columns[target].Type, CastContext.Assignment),
                        columns[target].Type);
                if (values is null)
                    continue;
                var value = ConstantEvaluator.Evaluate(bound, session.Engine.TimeProvider);
                if (target == RowTimeTarget)
                    timestamp = (long?)value;
                else
                    row[target] = Cell.FromObject(value, type);
            }
            if (values is not null)
                add?.Invoke(row, timestamp);
        }
    }

    /// <summary>ROWTIME takes BIGINT epoch ms (ksqlDB), a TIMESTAMP, or an ISO-8601 string.</summary>
    private static (BoundExpr, SqlType) BindRowTime(ExpressionBinder binder, Ast.Expr expression)
    {
        var bound = binder.Bind(expression, SqlType.BigInt);
        var type = bound is BoundLiteral { IsUntypedString: true } || bound.Type.Kind == SqlTypeKind.Timestamp
            ? SqlType.Timestamp : SqlType.BigInt;
        return (ExpressionBinder.Coerce(bound, type, CastContext.Assignment, expression.Span.Start + 1), type);
    }

    internal static List<int> Targets(Ast.InsertValues insert, IReadOnlyList<ColumnInfo> columns,
        Catalog.StreamDefinition definition)
    {
        var targets = new List<int>();
        if (insert.Columns.Count == 0)
        {
            // Without a column list ksqlDB takes the key columns first (in key order), then the values in
            // declaration order.
            targets.AddRange(definition.KeyColumns);
            for (var i = 0; i < columns.Count; i++)
            {
                if (!definition.IsKeyColumn(i))
                    targets.Add(i);
            }
            return targets;
        }
        foreach (var name in insert.Columns)
        {
            var position = name.Span.Start + 1;
            int index;
            var pseudo = Ast.PseudoColumns.Classify(name.Value);
            if (pseudo == Ast.PseudoColumn.RowTime)
            {
                index = RowTimeTarget;
            }
            else if (pseudo is Ast.PseudoColumn.RowOffset or Ast.PseudoColumn.RowPartition)
            {
                throw new SqlException("428C9", $"cannot insert a value into pseudo-column \"{name.Value}\"",
                    position: position);
            }
            else
            {
                index = -2;
                for (var i = 0; i < columns.Count; i++)
                {
                    if (columns[i].Name == name.Value)
                        index = i;
                }
                if (index == -2)
                    throw SqlException.UndefinedColumn(name.Text, position: position);
            }
            if (targets.Contains(index))
                throw new SqlException(SqlState.DuplicateColumn, $"column \"{name.Value}\" specified more than once",
                    position: position);
            targets.Add(index);
        }
        return targets;
    }

    /// <summary>
    /// Header columns come from the record's headers, which INSERT does not write (as ksqlDB): naming one is an
    /// error, and without a column list they are left out.
    /// </summary>
    internal static void CheckNoHeaderTargets(Ast.InsertValues insert, Catalog.StreamDefinition stream,
        List<int> targets)
    {
        if (stream.Headers.Count == 0)
            return;
        if (insert.Columns.Count == 0)
        {
            targets.RemoveAll(stream.IsHeaderColumn);
            return;
        }
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] >= 0 && stream.IsHeaderColumn(targets[i]))
                throw new SqlException("428C9", $"cannot insert into header column \"{insert.Columns[i].Value}\"",
                    position: insert.Columns[i].Span.Start + 1);
        }
    }

    internal static void CheckArity(Ast.ValuesRow row, int targetCount)
    {
        if (row.Values.Count == targetCount)
            return;
        throw new SqlException(SqlState.SyntaxError,
            row.Values.Count > targetCount
                ? "INSERT has more expressions than target columns"
                : "INSERT has more target columns than expressions",
            position: row.Span.Start + 1);
    }
}
