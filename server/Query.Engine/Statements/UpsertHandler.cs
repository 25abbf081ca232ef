using System.Runtime.CompilerServices;
using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Execution.Operators;
using Query.Engine.State;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// PostgreSQL's upsert, <c>INSERT INTO table ... ON CONFLICT [(key) | ON CONSTRAINT table_pkey] DO NOTHING | DO UPDATE
/// SET c = e, ... [WHERE e]</c>, over a table's changelog: a row whose PRIMARY KEY the table already has (or an
/// earlier row of the same statement has) is a conflict. DO NOTHING skips it; DO UPDATE writes the table's row with
/// the assignments applied, where the row's columns are read by the table's name and the proposed row's by
/// <c>excluded</c>, and skips it when WHERE is not true. The command tag counts the rows written. The statement is
/// one transaction (all or nothing), and ON CONFLICT statements on one table run one at a time, so two of them
/// cannot both see a key as absent; a plain INSERT always overwrites, so it orders before or after them.
/// Streams are append-only (every row is kept, none conflicts): ON CONFLICT on a stream is 0A000.
/// </summary>
internal static class UpsertHandler
{
    private static readonly ConditionalWeakTable<object, SemaphoreSlim> Locks = new();

    public static void Describe(EngineSession session, Ast.InsertValues insert, ParameterTypes parameters)
    {
        var table = Table(session, insert);
        Compile(table, insert.Conflict!, parameters, values: null, session.Engine.TimeProvider);
    }

    public static async ValueTask<StatementResult> ExecuteAsync(EngineSession session, Ast.InsertValues insert,
        IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        var table = Table(session, insert);
        var conflict = insert.Conflict!;
        var update = Compile(table, conflict, new ParameterTypes(), parameters, session.Engine.TimeProvider);
        var rows = new List<(Cell[] Row, long? Timestamp)>(insert.Rows.Count);
        InsertHandler.Bind(session, insert, new ParameterTypes(), parameters,
            (row, timestamp) => rows.Add((row.ToArray(), timestamp)));
        var gate = Locks.GetValue(table.Log, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var state = table.Table!;
            state.CatchUp(cancellationToken);
            using var appender = new RowAppender(table);
            var written = Write(table, state, rows, update, appender, PositionOf(conflict));
            await appender.CommitAsync(cancellationToken);
            return StatementResult.Command($"INSERT 0 {written}");
        }
        finally
        {
            gate.Release();
        }
    }

    private static long Write(StreamRuntime table, TableState state, List<(Cell[] Row, long? Timestamp)> rows,
        Update? update, RowAppender appender, int position)
    {
        var width = table.Definition.Columns.Count;
        var seen = new HashSet<byte[]>(ByteKeyComparer.Instance);
        var batch = new RecordBatch(1, int.MaxValue, table.CreateCursor(), initialBytes: 256);
        var pair = new CellRow(new Cell[width * 2]);
        var assigned = new Cell[update?.Columns.Length ?? 0];
        long written = 0;
        foreach (var (row, timestamp) in rows)
        {
            // A NULL key is refused by the appender (23502) with the column's name.
            var key = KeyEncoding.Encode(table, row);
            if (key is null)
            {
                appender.Add(row, timestamp);
                continue;
            }
            var earlier = !seen.Add(key);
            if (update is null)
            {
                if (earlier || state.ContainsKey(key))
                    continue;
                appender.Add(row, timestamp);
                written++;
                continue;
            }
            if (earlier)
                throw new SqlException("21000", "ON CONFLICT DO UPDATE command cannot affect row a second time",
                    position: position, hint: "Ensure that no rows proposed for insertion within the same command "
                        + "have duplicate constrained values.");
            batch.Clear();
            if (!state.Lookup(key, batch) || batch.Count == 0)
            {
                appender.Add(row, timestamp);
                written++;
                continue;
            }
            var existing = batch.Select(0);
            for (var i = 0; i < width; i++)
            {
                pair.Cells[i] = existing.GetCell(i);
                pair.Cells[width + i] = row[i];
            }
            if (update.Where is { } where && !where(pair))
                continue;
            update.Assign(pair, assigned);
            var result = pair.Cells.AsSpan(0, width).ToArray();
            for (var i = 0; i < assigned.Length; i++)
                result[update.Columns[i]] = assigned[i];
            appender.Add(result, timestamp);
            written++;
        }
        return written;
    }

    private sealed record Update(int[] Columns, Action<CellRow, Cell[]> Assign, Func<CellRow, bool>? Where);

    /// <summary>Checks the conflict target and binds DO UPDATE's assignments and WHERE over the table's row
    /// followed by <c>excluded</c>'s; null for DO NOTHING.</summary>
    private static Update? Compile(StreamRuntime table, Ast.OnConflict conflict, ParameterTypes parameters,
        IReadOnlyList<object?>? values, TimeProvider clock)
    {
        CheckTarget(table, conflict);
        if (!conflict.DoUpdate)
            return null;
        var definition = table.Definition;
        var columns = definition.Columns;
        var width = columns.Count;
        var both = new List<ColumnInfo>(width * 2);
        both.AddRange(columns);
        both.AddRange(columns);
        var scope = new BindScope(
            [new ScopeRelation(definition.Name, null, 0, width), new ScopeRelation("excluded", null, width, width)],
            both);
        var binder = new ExpressionBinder(scope, parameters) { ParameterValues = values };
        var targets = new int[conflict.Assignments.Count];
        var expressions = new BoundExpr[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            var assignment = conflict.Assignments[i];
            var target = Column(table, assignment.Column);
            if (Array.IndexOf(targets, target, 0, i) >= 0)
                throw new SqlException(SqlState.SyntaxError,
                    $"multiple assignments to same column \"{assignment.Column.Value}\"",
                    position: assignment.Span.Start + 1);
            targets[i] = target;
            expressions[i] = binder.BindAs(assignment.Value, columns[target].Type, CastContext.Assignment);
        }
        var where = conflict.Where is null ? null
            : ExpressionCompiler<CellRow>.CompilePredicate(
                binder.BindAs(conflict.Where, SqlType.Boolean, CastContext.Implicit), interpret: true, clock);
        return new Update(targets, ExpressionCompiler<CellRow>.CompileProjection(expressions, interpret: true, clock),
            where);
    }

    private static int Column(StreamRuntime table, Ast.Identifier name)
    {
        var columns = table.Definition.Columns;
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Name != name.Value)
                continue;
            if (table.Definition.IsKeyColumn(i))
                throw SqlException.FeatureNotSupported($"DO UPDATE SET of the PRIMARY KEY column \"{name.Value}\" "
                    + "(a row's key names the row; DELETE it and INSERT the new key)", name.Span.Start + 1);
            return i;
        }
        throw SqlException.UndefinedColumn(name.Text, position: name.Span.Start + 1);
    }

    /// <summary>The conflict target must name the PRIMARY KEY, by its columns or as the constraint
    /// <c>table_pkey</c> (the name the system catalog gives it); DO UPDATE needs one.</summary>
    private static void CheckTarget(StreamRuntime table, Ast.OnConflict conflict)
    {
        var definition = table.Definition;
        var position = PositionOf(conflict);
        if (conflict.Constraint is { } constraint)
        {
            if (constraint.Value != definition.Name + "_pkey")
                throw new SqlException(SqlState.UndefinedObject,
                    $"constraint \"{constraint.Value}\" for table \"{definition.Name}\" does not exist",
                    position: constraint.Span.Start + 1);
            return;
        }
        if (conflict.Target.IsEmpty)
        {
            if (conflict.DoUpdate)
                throw new SqlException(SqlState.SyntaxError,
                    "ON CONFLICT DO UPDATE requires inference specification or constraint name", position: position,
                    hint: "For example, ON CONFLICT (column_name).");
            return;
        }
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in conflict.Target)
            named.Add(column.Value);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in definition.KeyColumns)
            keys.Add(definition.Columns[key].Name);
        if (!named.SetEquals(keys))
            throw new SqlException("42P10",
                "there is no unique or exclusion constraint matching the ON CONFLICT specification",
                position: position);
    }

    private static StreamRuntime Table(EngineSession session, Ast.InsertValues insert)
    {
        var source = session.Engine.GetStream(EngineSession.SourceName(insert.Target), insert.Target.Span.Start + 1);
        var position = PositionOf(insert.Conflict!);
        if (!source.Definition.IsTable)
            throw SqlException.FeatureNotSupported($"INSERT ... ON CONFLICT on stream \"{source.Definition.Name}\" "
                + "(streams are append-only: every row is kept and none conflicts; a TABLE with a PRIMARY KEY "
                + "upserts)", position);
        if (source.Definition.Window is not null)
            throw SqlException.FeatureNotSupported("INSERT ... ON CONFLICT on a windowed table", position);
        return source;
    }

    private static int PositionOf(Ast.SyntaxNode node) => node.Span.Start + 1;
}
