using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// ALTER STREAM ... SET (tiering properties), ARCHIVE STREAM, COMPACT STREAM and SHOW ARCHIVALS. ALTER SET changes
/// TIERED, LOCAL_RETENTION_MS / _BYTES and, for a tiered stream, RETENTION_MS / _BYTES (the total retention the
/// archival job applies to the cold tier; below it the hot log only deletes archived segments); every other
/// property is fixed at creation (0A000).
/// </summary>
internal static class TieringHandler
{
    private static readonly HashSet<string> Alterable = new(StringComparer.Ordinal)
    {
        "TIERED", "LOCAL_RETENTION_MS", "LOCAL_RETENTION_BYTES", "RETENTION_MS", "RETENTION_BYTES",
    };

    public static readonly IReadOnlyList<ColumnInfo> ArchiveColumns =
    [
        new("STREAM", SqlType.String), new("SEGMENTS", SqlType.BigInt), new("ROWS", SqlType.BigInt),
        new("BYTES_IN", SqlType.BigInt), new("BYTES_OUT", SqlType.BigInt), new("FILES", SqlType.BigInt),
    ];

    public static readonly IReadOnlyList<ColumnInfo> RunColumns =
    [
        new("STREAM", SqlType.String), new("PARTITION", SqlType.Int), new("TRIGGER", SqlType.String),
        new("STATUS", SqlType.String), new("SEGMENTS_DONE", SqlType.BigInt), new("SEGMENTS_LEFT", SqlType.BigInt),
        new("BYTES_DONE", SqlType.BigInt), new("BYTES_LEFT", SqlType.BigInt), new("ROWS", SqlType.BigInt),
        new("ROWS_PER_SEC", SqlType.BigInt), new("FILES_EXPIRED", SqlType.BigInt),
        new("STARTED", SqlType.Timestamp), new("FINISHED", SqlType.Timestamp), new("LAST_ERROR", SqlType.String),
        new("KIND", SqlType.String),
    ];

    public static readonly IReadOnlyList<ColumnInfo> CompactColumns =
    [
        new("STREAM", SqlType.String), new("FILES_IN", SqlType.BigInt), new("FILES_OUT", SqlType.BigInt),
        new("ROWS", SqlType.BigInt), new("BYTES_IN", SqlType.BigInt), new("BYTES_OUT", SqlType.BigInt),
    ];

    public static StatementResult SetProperties(EngineSession session, Ast.AlterSourceSetProperties alter)
    {
        if (alter.Kind == Ast.SourceKind.Table)
            throw SqlException.FeatureNotSupported("tables", alter.Span.Start + 1);
        var properties = StreamProperties.Parse(alter.Properties);
        foreach (var property in alter.Properties)
        {
            if (!Alterable.Contains(property.Name.Value.ToUpperInvariant()))
                throw SqlException.FeatureNotSupported($"ALTER ... SET of {property.Name.Value.ToUpperInvariant()} "
                    + "(fixed at creation; TIERED, LOCAL_RETENTION_* and RETENTION_* can change)",
                    property.Span.Start + 1);
        }
        var engine = session.Engine;
        lock (engine.DdlLock)
        {
            var stream = engine.GetStream(EngineSession.SourceName(alter.Name), alter.Name.Span.Start + 1);
            var definition = Altered(stream.Definition, properties, alter.Span.Start + 1);
            if (!engine.TieringOf(definition).Enabled && (properties.Given.Contains("RETENTION_MS")
                || properties.Given.Contains("RETENTION_BYTES")))
                throw SqlException.FeatureNotSupported("changing RETENTION_MS / RETENTION_BYTES of a stream that is "
                    + "not tiered (its hot log's retention is fixed at creation)", alter.Span.Start + 1);
            engine.ApplyTiering(definition, stream.Log);
            engine.Catalog.Put(definition);
            engine.SetStream(stream.WithDefinition(definition));
        }
        return StatementResult.Command("ALTER STREAM");
    }

    private static Catalog.StreamDefinition Altered(Catalog.StreamDefinition old, StreamProperties properties,
        int position)
    {
        var given = properties.Given;
        var tiering = old.Tiering;
        if (given.Contains("TIERED"))
            tiering = tiering with { Enabled = properties.Tiering.Enabled };
        if (given.Contains("LOCAL_RETENTION_MS"))
            tiering = tiering with { LocalRetentionMs = properties.Tiering.LocalRetentionMs };
        if (given.Contains("LOCAL_RETENTION_BYTES"))
            tiering = tiering with { LocalRetentionBytes = properties.Tiering.LocalRetentionBytes };
        var definition = old with
        {
            Tiering = tiering,
            RetentionMs = given.Contains("RETENTION_MS") ? properties.LogOptions.RetentionMs : old.RetentionMs,
            RetentionBytes = given.Contains("RETENTION_BYTES") ? properties.LogOptions.RetentionBytes
                : old.RetentionBytes,
        };
        StreamProperties.CheckLocalBelowTotal("LOCAL_RETENTION_MS", tiering.LocalRetentionMs, "RETENTION_MS",
            definition.RetentionMs, position);
        StreamProperties.CheckLocalBelowTotal("LOCAL_RETENTION_BYTES", tiering.LocalRetentionBytes,
            "RETENTION_BYTES", definition.RetentionBytes, position);
        return definition;
    }

    public static async Task<StatementResult> ArchiveAsync(EngineSession session, Ast.ArchiveStream archive,
        CancellationToken cancellationToken)
    {
        var name = EngineSession.SourceName(archive.Name);
        var stream = session.Engine.GetStream(name, archive.Name.Span.Start + 1);
        var result = await session.Engine.Archival.ArchiveNowAsync(stream, cancellationToken);
        List<Cell[]> rows =
            [EngineSession.TextRow(name, (long)result.Segments, result.Rows, result.BytesIn, result.BytesOut,
                (long)result.Files)];
        return StatementResult.Query(new BufferedRowReader(ArchiveColumns, rows));
    }

    public static async Task<StatementResult> CompactAsync(EngineSession session, Ast.CompactStream compact,
        CancellationToken cancellationToken)
    {
        var name = EngineSession.SourceName(compact.Name);
        var stream = session.Engine.GetStream(name, compact.Name.Span.Start + 1);
        var result = await session.Engine.Archival.CompactNowAsync(stream, cancellationToken);
        List<Cell[]> rows =
            [EngineSession.TextRow(name, (long)result.FilesIn, (long)result.Runs, result.Rows, result.BytesIn,
                result.BytesOut)];
        return StatementResult.Query(new BufferedRowReader(CompactColumns, rows));
    }

    public static StatementResult ShowRuns(EngineSession session)
    {
        var now = session.Engine.TimeProvider.GetUtcNow();
        var rows = new List<Cell[]>();
        foreach (var run in session.Engine.ArchivalRuns)
        {
            var p = run.Progress;
            var finished = p.Finished;
            var status = finished is null ? "running" : p.LastError is null ? "done" : "failed";
            rows.Add(EngineSession.TextRow(p.Stream, p.Partition, run.Trigger, status, p.SegmentsDone,
                p.SegmentsLeft, p.BytesDone, p.BytesLeft, p.Rows, (long)p.RowsPerSecond(now), p.FilesExpired,
                p.Started.ToUnixTimeMilliseconds(), finished?.ToUnixTimeMilliseconds(), p.LastError, run.Kind));
        }
        return StatementResult.Query(new BufferedRowReader(RunColumns, rows));
    }
}
