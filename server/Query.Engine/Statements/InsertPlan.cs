using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// An INSERT ... VALUES bound once for the prepared statement that runs it again and again (node-postgres and Npgsql
/// send the same parameterized text for every row): the stream, and per VALUES row a full-width row of constant
/// cells plus the columns filled from parameters, each parsed as its column's type. Executing it converts the
/// parameters and appends: nothing is looked up, bound or evaluated again (binding at every execution was 2.2% of
/// the server's CPU under 16 connections of single-row INSERTs in a `perf` profile, see README).
/// <para>Only statements run more than once whose every value is a literal or a bare parameter of exactly its
/// column's type get one; anything else (ROWTIME as a target, NOW(), expressions, casts of parameters) and any
/// statement whose binding fails re-binds at every execution as before, so its results and errors, their order
/// included, do not change.
/// A plan belongs to one <see cref="QueryEngine.CatalogVersion"/>: after any DDL the next execution builds a new
/// one.</para>
/// </summary>
internal sealed class InsertPlan
{
    private readonly Row[] _rows;

    private InsertPlan(long catalogVersion, StreamRuntime? stream, Row[] rows)
    {
        CatalogVersion = catalogVersion;
        Stream = stream;
        _rows = rows;
    }

    /// <summary>The catalog version the plan was bound under.</summary>
    public long CatalogVersion { get; }

    /// <summary>The target stream; null when the statement has no plan (it re-binds at every execution).</summary>
    public StreamRuntime? Stream { get; }

    /// <summary>The plan of <paramref name="prepared"/> for the catalog as it is now, built at its second execution
    /// (a statement run once, such as a simple-query INSERT of many literal rows, would pay for a plan it never
    /// reuses); null when the statement is bound at this execution.</summary>
    public static InsertPlan? For(EngineSession session, PreparedStatement prepared, Ast.InsertValues insert)
    {
        var plan = prepared.InsertPlan;
        if (plan is null)
        {
            prepared.InsertPlan = new InsertPlan(long.MinValue, null, []);   // run once: no version matches it
            return null;
        }
        // Read the version before binding: a DDL that lands meanwhile leaves the plan under the old version.
        long version = session.Engine.CatalogVersion;
        if (plan.CatalogVersion != version)
        {
            plan = TryBuild(session, insert, version) ?? new InsertPlan(version, null, []);
            prepared.InsertPlan = plan;
        }
        return plan.Stream is null ? null : plan;
    }

    /// <summary>Adds every VALUES row, its parameters converted to the columns' types, to <paramref name="appender"/>.
    /// </summary>
    public void AddRows(IReadOnlyList<object?> values, RowAppender appender)
    {
        var row = new Cell[_rows[0].Constants.Length];
        foreach (var planned in _rows)
        {
            planned.Constants.CopyTo(row, 0);
            foreach (var slot in planned.Parameters)
                row[slot.Column] = Cell.FromObject(Convert(values, slot), slot.Type);
            appender.Add(row);
        }
    }

    /// <summary>What binding the parameter as a literal did (<see cref="ExpressionBinder"/>), with its errors.
    /// </summary>
    private static object? Convert(IReadOnlyList<object?> values, ParameterSlot slot)
    {
        if (slot.Index >= values.Count)
            throw new SqlException(SqlState.InvalidParameterCount,
                $"statement needs parameter ${slot.Index + 1} but {values.Count} were supplied",
                position: slot.Position);
        try
        {
            return ParameterConverter.ToEngineValue(values[slot.Index], slot.Type);
        }
        catch (SqlException e)
        {
            throw e.WithPosition(slot.Position);
        }
    }

    private static InsertPlan? TryBuild(EngineSession session, Ast.InsertValues insert, long version)
    {
        try
        {
            return Build(session, insert, version);
        }
        catch (SqlException)
        {
            // The execution re-binds and raises the same error in the same order as ever.
            return null;
        }
    }

    private static InsertPlan? Build(EngineSession session, Ast.InsertValues insert, long version)
    {
        var stream = session.Engine.GetStream(EngineSession.SourceName(insert.Target), insert.Target.Span.Start + 1);
        var columns = stream.Definition.Columns;
        var targets = InsertHandler.Targets(insert, columns, stream.Definition);
        InsertHandler.CheckNoHeaderTargets(insert, stream.Definition, targets);
        if (targets.Contains(InsertHandler.RowTimeTarget))
            return null;
        var binder = new ExpressionBinder(BindScope.Empty, new ParameterTypes());
        var rows = new Row[insert.Rows.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            var valuesRow = insert.Rows[r];
            InsertHandler.CheckArity(valuesRow, targets.Count);
            var constants = new Cell[columns.Count];
            constants.AsSpan().Fill(Cell.Null);
            var parameters = new List<ParameterSlot>();
            for (var i = 0; i < targets.Count; i++)
            {
                var type = columns[targets[i]].Type;
                var expression = valuesRow.Values[i];
                var bound = binder.BindAs(expression, type, CastContext.Assignment);
                if (bound is BoundLiteral literal)
                    constants[targets[i]] = Cell.FromObject(literal.Value, type);
                else if (bound is BoundParameter parameter && expression is Ast.Parameter && parameter.Type == type)
                    parameters.Add(new ParameterSlot(targets[i], parameter.Index, type, expression.Span.Start + 1));
                else
                    return null;
            }
            rows[r] = new Row(constants, [.. parameters]);
        }
        return new InsertPlan(version, stream, rows);
    }

    private sealed record Row(Cell[] Constants, ParameterSlot[] Parameters);

    private readonly record struct ParameterSlot(int Column, int Index, SqlType Type, int Position);
}
