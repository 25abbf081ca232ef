using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;
using Query.Storage;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// CREATE STREAM, DROP STREAM, ALTER STREAM ADD COLUMN. The log is created before the catalog entry is written,
/// so a crash in between leaves an unreferenced log that a later CREATE STREAM of the same name reattaches (as
/// ksqlDB attaches to an existing topic). DROP keeps the log unless DELETE TOPIC is given.
/// </summary>
internal static class DdlHandler
{
    private static readonly HashSet<string> ReservedNames =
        new(StringComparer.Ordinal) { "ROWTIME", "ROWOFFSET", "ROWPARTITION", "WINDOWSTART", "WINDOWEND" };

    public static StatementResult CreateStream(EngineSession session, Ast.CreateStream create)
    {
        var engine = session.Engine;
        var name = EngineSession.SourceName(create.Name);
        var properties = StreamProperties.Parse(create.Properties);
        var (columns, keys) = Columns(create.Columns, primaryKey: create.PrimaryKey);
        var key = keys.Count > 0 ? keys[0] : -1;
        properties.AddWindowColumns(columns, key, create.Span.Start + 1);
        var timestamp = TimestampColumn(properties, columns, create.Span.Start + 1);
        var headers = HeaderColumns.Of(create.Columns, properties.ValueFormat);
        FormatChecks.Check(properties, columns, keys, create.Span.Start + 1, headers);
        lock (engine.DdlLock)
        {
            if (engine.TryGetStream(name, out var existing))
            {
                TableDdlHandler.CheckKind(existing.Definition, Ast.SourceKind.Stream, "CREATE",
                    create.Name.Span.Start + 1);
                if (create.IfNotExists)
                    return StatementResult.Command("CREATE STREAM");
                if (create.OrReplace && !headers.SequenceEqual(existing.Definition.Headers))
                    throw SqlException.FeatureNotSupported("CREATE OR REPLACE STREAM that changes HEADER columns");
                if (!create.OrReplace)
                    throw new SqlException(SqlState.DuplicateTable, $"stream \"{name}\" already exists",
                        position: create.Name.Span.Start + 1);
                return Replace(engine, existing, columns, keys, timestamp, properties);
            }
            var logName = properties.LogName ?? name;
            var log = OpenOrCreateLog(engine, logName, properties, create.Name.Span.Start + 1);
            var definition = new StreamDefinition(name, columns, key, timestamp, properties.ValueFormat, logName,
                log.PartitionCount, log.Options.RetentionMs, engine.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds())
            {
                KeyColumns = keys,
                KeyFormat = properties.KeyFormat,
                KeyDelimiter = properties.KeyDelimiter ?? ',',
                ValueDelimiter = properties.ValueDelimiter,
                WrapSingleValue = properties.WrapSingleValue ?? true,
                TimestampFormat = properties.TimestampFormat,
                Headers = headers,
                Window = properties.Window,
                Tiering = properties.Tiering,
                RetentionBytes = log.Options.RetentionBytes,
            };
            engine.ApplyTiering(definition, log);
            engine.Catalog.Put(definition);
            engine.SetStream(engine.NewStream(definition, log));
        }
        return StatementResult.Command("CREATE STREAM");
    }

    private static StatementResult Replace(QueryEngine engine, StreamRuntime existing, List<ColumnInfo> columns,
        List<int> keys, int timestamp, StreamProperties properties)
    {
        var old = existing.Definition;
        var compatible = columns.Count >= old.Columns.Count && keys.SequenceEqual(old.KeyColumns)
            && properties.ValueFormat == old.ValueFormat && properties.KeyFormat == old.KeyFormat
            && (properties.Partitions is null || properties.Partitions == old.Partitions);
        for (var i = 0; compatible && i < old.Columns.Count; i++)
            compatible = old.Columns[i] == columns[i];
        if (!compatible)
            throw SqlException.FeatureNotSupported(
                "CREATE OR REPLACE STREAM that changes existing columns, the key, the format or the partitions "
                + "(only adding columns at the end is supported)");
        var definition = old with { Columns = columns, TimestampColumn = timestamp };
        engine.Catalog.Put(definition);
        engine.SetStream(existing.WithDefinition(definition));
        return StatementResult.Command("CREATE STREAM");
    }

    internal static PartitionedLog OpenOrCreateLog(QueryEngine engine, string logName, StreamProperties properties,
        int position)
    {
        try
        {
            if (engine.Logs.TryGetLog(logName, out var existing))
            {
                if (properties.Partitions is { } partitions && partitions != existing.PartitionCount)
                    throw new SqlException(SqlState.InvalidParameterValue,
                        $"log \"{logName}\" already exists with {existing.PartitionCount} partitions, not {partitions}",
                        position: position);
                return existing;
            }
            return engine.Logs.CreateLog(logName, properties.LogOptions);
        }
        catch (ArgumentException e)
        {
            throw new SqlException(SqlState.InvalidName, $"\"{logName}\" cannot name a log: {e.Message}",
                position: position, hint: "Use WITH (KAFKA_TOPIC='name') to choose a log name.");
        }
    }

    /// <summary>The declared columns and the key columns (in declaration order: ksqlDB's key order).</summary>
    internal static (List<ColumnInfo> Columns, List<int> Keys) Columns(
        Ast.EquatableArray<Ast.ColumnDefinition> definitions, bool table = false,
        Ast.EquatableArray<Ast.Identifier> primaryKey = default)
    {
        var columns = new List<ColumnInfo>();
        var keys = new List<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in definitions)
        {
            var position = column.Span.Start + 1;
            var name = column.Name.Value;
            if (ReservedNames.Contains(name.ToUpperInvariant()))
                throw new SqlException("42939", $"column name \"{name}\" is reserved for a pseudo-column",
                    position: position);
            if (!names.Add(name))
                throw new SqlException(SqlState.DuplicateColumn, $"column \"{name}\" specified more than once",
                    position: position);
            switch (column.Role)
            {
                case Ast.ColumnRole.Key when table:
                    throw new SqlException(SqlState.SyntaxError, "tables take a PRIMARY KEY column; KEY is for streams",
                        position: position);
                case Ast.ColumnRole.PrimaryKey when !table:
                    throw new SqlException(SqlState.SyntaxError, "streams take KEY columns; PRIMARY KEY is for tables",
                        position: position);
                case Ast.ColumnRole.Key or Ast.ColumnRole.PrimaryKey:
                    keys.Add(columns.Count);
                    break;
                case Ast.ColumnRole.Headers or Ast.ColumnRole.Header when table:
                    throw SqlException.FeatureNotSupported("HEADERS columns in tables", position);
            }
            columns.Add(new ColumnInfo(name, TypeResolver.Resolve(column.Type)));
        }
        if (columns.Count == 0)
            throw new SqlException(SqlState.SyntaxError, $"a {(table ? "table" : "stream")} needs at least one column");
        if (!primaryKey.IsEmpty)
            keys = PrimaryKeyConstraint.Keys(primaryKey, columns, keys, table);
        if (columns.Count > ushort.MaxValue)
            throw new SqlException(SqlState.ProgramLimitExceeded, "too many columns");
        return (columns, keys);
    }

    internal static int TimestampColumn(StreamProperties properties, List<ColumnInfo> columns, int position)
    {
        if (properties.TimestampColumn is null)
        {
            if (properties.TimestampFormat is not null)
                throw new SqlException(SqlState.InvalidParameterValue, "TIMESTAMP_FORMAT needs a TIMESTAMP column",
                    position: position);
            return -1;
        }
        var wanted = properties.TimestampColumn;
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Name, wanted, StringComparison.OrdinalIgnoreCase))
            {
                var expected = properties.TimestampFormat is null
                    ? columns[i].Type.Kind is SqlTypeKind.BigInt or SqlTypeKind.Timestamp
                    : columns[i].Type.Kind == SqlTypeKind.String;
                if (!expected)
                    throw new SqlException(SqlState.DatatypeMismatch,
                        $"TIMESTAMP column \"{columns[i].Name}\" must be "
                        + (properties.TimestampFormat is null ? "BIGINT or TIMESTAMP" : "STRING with TIMESTAMP_FORMAT")
                        + $", not {columns[i].Type}", position: position);
                return i;
            }
        }
        throw SqlException.UndefinedColumn(wanted, position: position);
    }

    public static StatementResult Drop(EngineSession session, Ast.DropSource drop)
    {
        var engine = session.Engine;
        var name = EngineSession.SourceName(drop.Name);
        lock (engine.DdlLock)
        {
            if (!engine.TryGetStream(name, out var stream))
            {
                if (drop.IfExists)
                    return StatementResult.Command(drop.Kind == Ast.SourceKind.Table ? "DROP TABLE" : "DROP STREAM");
                engine.GetStream(name, drop.Name.Span.Start + 1);
            }
            TableDdlHandler.CheckKind(stream.Definition, drop.Kind, "DROP", drop.Name.Span.Start + 1);
            PersistentQueryHandler.RefuseDropIfUsed(engine, name, drop.Span.Start + 1);
            if (drop.DeleteTopic)
                RefuseSharedLog(engine, stream.Definition, drop.Span.Start + 1);
            engine.Catalog.Remove(name);
            engine.RemoveStream(name);
            stream.Table?.Dispose();
            if (drop.DeleteTopic)
            {
                engine.Logs.DeleteLog(stream.Definition.LogName);
                engine.Options.ColdStore?.DeleteStream(name);
            }
        }
        return StatementResult.Command(drop.Kind == Ast.SourceKind.Table ? "DROP TABLE" : "DROP STREAM");
    }

    /// <summary>ksqlDB refuses to delete a topic that another source still reads; so do we with a log.</summary>
    private static void RefuseSharedLog(QueryEngine engine, StreamDefinition dropped, int position)
    {
        foreach (var other in engine.ListStreams())
        {
            if (other.Name != dropped.Name && other.LogName == dropped.LogName)
                throw new SqlException(SqlState.DependentObjectsStillExist,
                    $"cannot delete log \"{dropped.LogName}\" of stream \"{dropped.Name}\": stream \"{other.Name}\" "
                    + "uses it too", position: position,
                    hint: "Drop the other stream first, or drop this one without DELETE TOPIC.");
        }
    }

    public static StatementResult AddColumns(EngineSession session, Ast.AlterSourceAddColumns alter)
    {
        var engine = session.Engine;
        var name = EngineSession.SourceName(alter.Name);
        lock (engine.DdlLock)
        {
            var stream = engine.GetStream(name, alter.Name.Span.Start + 1);
            var old = stream.Definition;
            TableDdlHandler.CheckKind(old, alter.Kind, "ALTER", alter.Name.Span.Start + 1);
            var (added, keys) = Columns(alter.Columns);
            if (keys.Count > 0)
                throw SqlException.FeatureNotSupported("adding a KEY column", alter.Span.Start + 1);
            var columns = new List<ColumnInfo>(old.Columns);
            foreach (var column in added)
            {
                if (old.IndexOf(column.Name) >= 0)
                    throw new SqlException(SqlState.DuplicateColumn, $"column \"{column.Name}\" already exists",
                        position: alter.Span.Start + 1);
                columns.Add(column);
            }
            var definition = old with { Columns = columns };
            if (engine.TieringOf(definition).Enabled)
                Tiering.ColdTypes.CheckTierable(definition);   // the cold tier holds every column it archives
            engine.Catalog.Put(definition);
            engine.SetStream(stream.WithDefinition(definition));
        }
        return StatementResult.Command(alter.Kind == Ast.SourceKind.Table ? "ALTER TABLE" : "ALTER STREAM");
    }
}
