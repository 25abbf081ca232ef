using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Persistent;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

internal static partial class PersistentQueryHandler
{
    /// <summary>The answer of CREATE STREAM | TABLE ... AS SELECT when the name is taken.</summary>
    private static StatementResult SinkExists(string name, string kind, bool ifNotExists, bool orReplace,
        int position)
    {
        if (ifNotExists)
            return StatementResult.Command($"CREATE {kind}");
        throw orReplace
            ? SqlException.FeatureNotSupported($"CREATE OR REPLACE {kind} ... AS SELECT", position)
            : new SqlException(SqlState.DuplicateTable, $"{kind.ToLowerInvariant()} \"{name}\" already exists",
                position: position);
    }

    /// <summary>
    /// Creates the new stream or table a CSAS / CTAS writes: its shape from the query, its properties from WITH
    /// (the rest from the source, as ksqlDB), its own log. A table's log is its changelog: pull queries read the
    /// latest row per key. A table's key columns are <paramref name="tableKeys"/> (output columns, in GROUP BY
    /// order); a stream's are the PARTITION BY column or the source's key columns it selects. Called under the DDL
    /// lock.
    /// </summary>
    private static void CreateSink(QueryEngine engine, string name, RelationKind kind, IReadOnlyList<int>? tableKeys,
        PersistentQueryPlan plan, Ast.EquatableArray<Ast.TableProperty> given, int position)
    {
        var properties = SinkWriter.SinkProperties(given, plan.Source.Definition);
        var (columns, keys, sources) = SinkWriter.NewStreamShape(plan);
        if (tableKeys is not null)
            keys = [.. tableKeys.Select(output => Array.IndexOf(sources, output))];
        // ksqlDB: a table's value needs at least one column (its changelog's value would be empty, a delete).
        if (kind == RelationKind.Table && columns.Count == keys.Count)
            throw new SqlException("42P16", $"The projection contains no value columns: table \"{name}\" needs a "
                + "column besides its key", position: position);
        var key = keys.Count > 0 ? keys[0] : -1;
        var timestamp = DdlHandler.TimestampColumn(properties, columns, position);
        FormatChecks.Check(properties, columns, keys, position);
        var logName = properties.LogName ?? name;
        if (logName == plan.Source.Definition.LogName)
            throw new SqlException(SqlState.InvalidParameterValue,
                $"{(kind == RelationKind.Table ? "table" : "stream")} \"{name}\" cannot write log \"{logName}\": "
                + "the query reads it", position: position);
        var log = DdlHandler.OpenOrCreateLog(engine, logName, properties, position);
        var definition = new StreamDefinition(name, columns, key, timestamp, properties.ValueFormat, logName,
            log.PartitionCount, log.Options.RetentionMs, engine.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds())
        {
            Kind = kind,
            KeyColumns = keys,
            KeyFormat = properties.KeyFormat,
            KeyDelimiter = properties.KeyDelimiter ?? ',',
            ValueDelimiter = properties.ValueDelimiter,
            WrapSingleValue = properties.WrapSingleValue ?? true,
            TimestampFormat = properties.TimestampFormat,
            Window = SinkWriter.SinkWindow(plan, columns),
            WindowRetentionMs = plan.Window?.RetentionMs,
        };
        engine.Catalog.Put(definition);
        engine.SetStream(engine.NewStream(definition, log));
    }
}
