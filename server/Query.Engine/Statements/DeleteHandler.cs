using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// DELETE FROM table [WHERE key = c | key IN (...) | key = a OR key = b; a = c AND b = d for a key of several columns]:
/// one tombstone per named key (a record with
/// the key and a null value) in one transaction, so the statement is all or nothing; without WHERE, a tombstone for
/// every key the table has. Any other predicate is 0A000 (a delete is a write by key; reading rows to decide which
/// to delete would not be atomic with the write). The command tag counts the keys that had a row before.
/// Streams are append-only: DELETE on a stream is 0A000.
/// </summary>
internal static class DeleteHandler
{
    public static IReadOnlyList<ColumnInfo> Describe(EngineSession session, Ast.DeleteRows delete,
        ParameterTypes parameters)
    {
        var table = Table(session, delete);
        if (delete.Where is not null)
            Bind(table, delete.Where, parameters, values: null);
        return [];
    }

    public static async ValueTask<StatementResult> ExecuteAsync(EngineSession session, Ast.DeleteRows delete,
        IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        var table = Table(session, delete);
        var state = table.Table!;
        state.CatchUp(cancellationToken);
        List<byte[]> keys;
        if (delete.Where is null)
        {
            keys = state.Keys();
        }
        else
        {
            var bound = Bind(table, delete.Where, new ParameterTypes(), parameters);
            if (table.Definition.Window is not null)
                throw SqlException.FeatureNotSupported("DELETE ... WHERE on a windowed table (a row is a key and a "
                    + "window); DELETE without WHERE works", delete.Where.Span.Start + 1);
            if (!TableAccess.AllCanonical(table))
                throw SqlException.FeatureNotSupported(
                    $"DELETE ... WHERE on a table keyed by DOUBLE or DECIMAL (equal values may have different "
                    + "encodings); DELETE without WHERE works", delete.Where.Span.Start + 1);
            var constants = TableAccess.ExactKeys(table, bound)
                ?? throw SqlException.FeatureNotSupported(
                    "DELETE with a WHERE other than the PRIMARY KEY equal to constants (key = c, key IN (...), "
                    + "key = a OR key = b; with several key columns every one of them: a = c AND b = d)",
                    delete.Where.Span.Start + 1);
            keys = [.. TableKeys.Encode(table, new([.. constants]), session.Engine.TimeProvider, parameters)];
        }
        var deleted = 0;
        using var appender = new RowAppender(table);
        foreach (var key in keys)
        {
            if (state.ContainsKey(key))
                deleted++;
            appender.AddTombstone(key);
        }
        await appender.CommitAsync(cancellationToken);
        return StatementResult.Command($"DELETE {deleted}");
    }

    private static StreamRuntime Table(EngineSession session, Ast.DeleteRows delete)
    {
        var source = session.Engine.GetStream(EngineSession.SourceName(delete.Target), delete.Target.Span.Start + 1);
        if (!source.Definition.IsTable)
            throw SqlException.FeatureNotSupported(
                $"DELETE on stream \"{source.Definition.Name}\" (streams are append-only; DELETE is for tables)",
                delete.Span.Start + 1);
        return source;
    }

    private static BoundExpr Bind(StreamRuntime table, Ast.Expr where, ParameterTypes parameters,
        IReadOnlyList<object?>? values)
    {
        var scope = new BindScope(table.Definition.Name, null, table.Definition.Columns, allowPseudoColumns: false);
        var binder = new ExpressionBinder(scope, parameters) { ParameterValues = values };
        return binder.BindAs(where, SqlType.Boolean, CastContext.Implicit);
    }
}
