using Query.Engine.Catalog;
using Query.Engine.Errors;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// CREATE [OR REPLACE] TABLE [IF NOT EXISTS] t (id ... PRIMARY KEY, ...) WITH (...): a table over its own log, its
/// changelog (record key = the primary key, value = the row, a null value = a tombstone). ksqlDB's rules: a
/// PRIMARY KEY is required, KEY is for streams. The properties are those of CREATE STREAM. The changelog keeps
/// every record unless RETENTION_MS/RETENTION_BYTES say otherwise (refused: without log compaction retention
/// would silently forget rows). DROP TABLE and ALTER TABLE ADD COLUMN share the stream handlers.
/// </summary>
internal static class TableDdlHandler
{
    public static StatementResult Create(EngineSession session, Ast.CreateTable create)
    {
        var engine = session.Engine;
        var name = EngineSession.SourceName(create.Name);
        var position = create.Span.Start + 1;
        var properties = StreamProperties.Parse(create.Properties);
        var (columns, keys) = DdlHandler.Columns(create.Columns, table: true, create.PrimaryKey);
        var key = keys.Count > 0 ? keys[0] : -1;
        if (key < 0)
            throw new SqlException(SqlState.SyntaxError, $"table \"{name}\" has no PRIMARY KEY column",
                position: position,
                hint: "Tables require a PRIMARY KEY: declare one column as `name type PRIMARY KEY`.");
        if (properties.LogOptions.RetentionMs >= 0 || properties.LogOptions.RetentionBytes >= 0)
            throw SqlException.FeatureNotSupported(
                "RETENTION_MS / RETENTION_BYTES on a table (its changelog is the table, and logs are not compacted)",
                position);
        properties.AddWindowColumns(columns, key, position);
        var timestamp = DdlHandler.TimestampColumn(properties, columns, position);
        FormatChecks.Check(properties, columns, keys, position);
        lock (engine.DdlLock)
        {
            if (engine.TryGetStream(name, out var existing))
            {
                CheckKind(existing.Definition, Ast.SourceKind.Table, "CREATE", create.Name.Span.Start + 1);
                if (create.IfNotExists)
                    return StatementResult.Command("CREATE TABLE");
                if (!create.OrReplace)
                    throw new SqlException(SqlState.DuplicateTable, $"table \"{name}\" already exists",
                        position: create.Name.Span.Start + 1);
                return Replace(engine, existing, columns, keys, timestamp, properties);
            }
            var logName = properties.LogName ?? name;
            var log = DdlHandler.OpenOrCreateLog(engine, logName, properties, create.Name.Span.Start + 1);
            var definition = new StreamDefinition(name, columns, key, timestamp, properties.ValueFormat, logName,
                log.PartitionCount, log.Options.RetentionMs, engine.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds())
            {
                Kind = RelationKind.Table,
                Window = properties.Window,
                KeyColumns = keys,
                KeyFormat = properties.KeyFormat,
                KeyDelimiter = properties.KeyDelimiter ?? ',',
                ValueDelimiter = properties.ValueDelimiter,
                WrapSingleValue = properties.WrapSingleValue ?? true,
                TimestampFormat = properties.TimestampFormat,
            };
            engine.Catalog.Put(definition);
            engine.SetStream(engine.NewStream(definition, log));
        }
        return StatementResult.Command("CREATE TABLE");
    }

    private static StatementResult Replace(QueryEngine engine, Execution.StreamRuntime existing,
        List<Binding.ColumnInfo> columns, List<int> keys, int timestamp, StreamProperties properties)
    {
        var old = existing.Definition;
        var compatible = columns.Count >= old.Columns.Count && keys.SequenceEqual(old.KeyColumns)
            && properties.ValueFormat == old.ValueFormat && properties.KeyFormat == old.KeyFormat
            && (properties.Partitions is null || properties.Partitions == old.Partitions);
        for (var i = 0; compatible && i < old.Columns.Count; i++)
            compatible = old.Columns[i] == columns[i];
        if (!compatible)
            throw SqlException.FeatureNotSupported(
                "CREATE OR REPLACE TABLE that changes existing columns, the key, the format or the partitions "
                + "(only adding columns at the end is supported)");
        var definition = old with { Columns = columns, TimestampColumn = timestamp };
        engine.Catalog.Put(definition);
        engine.SetStream(existing.WithDefinition(definition));
        return StatementResult.Command("CREATE TABLE");
    }

    /// <summary>
    /// A statement naming a stream where a table is (or the reverse) fails as ksqlDB's does: CREATE with 42P07
    /// (the name is taken), DROP and ALTER with 42809 naming the right statement.
    /// </summary>
    internal static void CheckKind(StreamDefinition existing, Ast.SourceKind expected, string verb, int position)
    {
        var wanted = expected == Ast.SourceKind.Table ? RelationKind.Table : RelationKind.Stream;
        if (existing.Kind == wanted)
            return;
        var actual = existing.IsTable ? "table" : "stream";
        if (verb == "CREATE")
            throw new SqlException(SqlState.DuplicateTable,
                $"cannot create {wanted.ToString().ToLowerInvariant()} \"{existing.Name}\": a {actual} with the same "
                + "name already exists", position: position);
        throw new SqlException("42809", $"\"{existing.Name}\" is a {actual}, not a "
            + $"{wanted.ToString().ToLowerInvariant()}", position: position,
            hint: $"Use {verb} {actual.ToUpperInvariant()}.");
    }
}
