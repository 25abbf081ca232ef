using Query.Engine.Binding;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

internal static partial class ShowHandler
{
    /// <summary>
    /// DESCRIBE: one row per column (FIELD, TYPE, KEY / TIMESTAMP in DETAIL). EXTENDED adds a summary row and one
    /// row per partition with its offset range, row count, bytes, ROWTIME range and segment count.
    /// </summary>
    private static List<Cell[]> Describe(EngineSession session, Ast.Describe describe)
    {
        var stream = session.Engine.GetStream(EngineSession.SourceName(describe.Name), describe.Name.Span.Start + 1);
        var definition = stream.Definition;
        var rows = new List<Cell[]>();
        for (var i = 0; i < definition.Columns.Count; i++)
        {
            var detail = definition.IsKeyColumn(i) ? (definition.IsTable ? "PRIMARY KEY" : "KEY")
                : i == definition.TimestampColumn ? "TIMESTAMP"
                : definition.Headers.FirstOrDefault(h => h.Column == i) is { } header
                    ? header.Key is null ? "HEADERS" : $"HEADER('{header.Key}')" : null;
            rows.Add(EngineSession.TextRow(definition.Columns[i].Name, definition.Columns[i].Type.ToString(), detail));
        }
        if (!describe.Extended)
            return rows;
        long totalRows = 0, totalBytes = 0;
        var partitionRows = new List<Cell[]>();
        for (var p = 0; p < stream.Sources.Count; p++)
        {
            var source = stream.Sources[p];
            var (startOffset, endOffset) = (source.StartOffset, source.LastStableOffset);
            var segments = source.DescribeExtents();
            long bytes = 0, minTs = long.MaxValue, maxTs = long.MinValue;
            foreach (var segment in segments)
            {
                bytes += segment.SizeBytes;
                if (segment.EndOffset > segment.BaseOffset)
                {
                    minTs = Math.Min(minTs, segment.MinTimestampMs);
                    maxTs = Math.Max(maxTs, segment.MaxTimestampMs);
                }
            }
            var count = endOffset - startOffset;
            totalRows += count;
            totalBytes += bytes;
            var time = count == 0 ? "no rows"
                : $"rowtime [{Temporal.FormatTimestamp(minTs)}, {Temporal.FormatTimestamp(maxTs)}]";
            partitionRows.Add(EngineSession.TextRow($"partition {p}", "PARTITION",
                $"offsets [{startOffset}, {endOffset}) rows {count} bytes {bytes} {time} segments "
                    + $"{segments.Count}"));
        }
        var timestamp = definition.TimestampColumn >= 0 ? definition.Columns[definition.TimestampColumn].Name
            : "append time";
        var state = stream.Table is { } table ? $" state_keys {table.Count} state_bytes {table.MemoryBytes}" : "";
        rows.Add(EngineSession.TextRow(definition.Name, definition.IsTable ? "TABLE" : "STREAM",
            $"log {definition.LogName} partitions {stream.Sources.Count} rows {totalRows} bytes {totalBytes} "
            + $"key_format {definition.KeyFormat.ToString().ToUpperInvariant()} value_format {Format(definition)} "
            + $"rowtime from {timestamp} retention_ms {definition.RetentionMs} "
            + $"skipped_records {stream.SkippedRecords}{state}"));
        rows.AddRange(partitionRows);
        rows.AddRange(TierRows(session, stream));
        return rows;
    }

    internal static readonly Dictionary<string, string> ServerVariables = new(StringComparer.OrdinalIgnoreCase)
    {
        ["server_version"] = "15.0",
        ["server_version_num"] = "150000",
        ["max_index_keys"] = "32",
        ["max_identifier_length"] = "63",
        ["server_encoding"] = "UTF8",
        ["client_encoding"] = "UTF8",
        ["standard_conforming_strings"] = "on",
        ["timezone"] = "UTC",
        ["datestyle"] = "ISO, MDY",
        ["integer_datetimes"] = "on",
        ["transaction_isolation"] = "read committed",
        ["search_path"] = "\"$user\", public",
        ["application_name"] = "",
    };

    private static IReadOnlyList<ColumnInfo> VariableColumns(Ast.ShowVariable show)
    {
        var name = show.Name.ToString();
        return string.Equals(name, "ALL", StringComparison.OrdinalIgnoreCase)
            ? [new ColumnInfo("name", SqlType.String), new ColumnInfo("setting", SqlType.String)]
            : [new ColumnInfo(name.ToLowerInvariant(), SqlType.String)];
    }

    private static List<Cell[]> ShowVariable(EngineSession session, Ast.ShowVariable show)
    {
        var name = show.Name.ToString();
        if (string.Equals(name, "ALL", StringComparison.OrdinalIgnoreCase))
        {
            var all = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in ServerVariables)
                all[key] = value;
            foreach (var (key, value) in session.Properties)
                all[key] = value;
            var rows = new List<Cell[]>();
            foreach (var (key, value) in all)
                rows.Add(EngineSession.TextRow(key, value));
            return rows;
        }
        if (session.Properties.TryGetValue(name, out var set) || ServerVariables.TryGetValue(name, out set))
            return [EngineSession.TextRow(set)];
        throw new Errors.SqlException(Errors.SqlState.UndefinedObject,
            $"unrecognized configuration parameter \"{name.ToLowerInvariant()}\"", position: show.Span.Start + 1);
    }
}
