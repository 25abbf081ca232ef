using System.Text;
using Parquet;
using Query.Storage;
using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// Writes one cold file from log records added in offset order. <see cref="Add"/> is synchronous (records are
/// views into a reader's buffer); when <see cref="IsRowGroupFull"/> the caller awaits
/// <see cref="FlushRowGroupAsync"/>. Row groups are cut by rows and by buffered bytes, and carry min/max
/// statistics on every column (Parquet.Net writes them for each chunk).
/// </summary>
internal sealed class ColdFileWriter : IAsyncDisposable
{
    private readonly ColdFileSchema _schema;
    private readonly IColumnLayout _layout;
    private readonly ColdFileOptions _options;
    private readonly ParquetWriter _writer;
    private readonly int _partition;
    private readonly ColdValue[] _row;
    private readonly LeafColumn _keyLeaf;
    private readonly LeafColumn _rowValueLeaf;
    private readonly LeafColumn?[] _flatLeaves;     // per stream column: its leaf when it is top-level scalar
    private readonly int[] _checkFits;              // stream columns whose values may not fit (TIMESTAMP)
    private DateTime[] _rowTimes;
    private long[] _rowOffsets;
    private int[] _rowPartitions;
    private int _buffered;
    private long _bufferedBytes;                    // rough uncompressed bytes of the running row group

    private ColdFileWriter(ColdFileSchema schema, IColumnLayout layout, ColdFileOptions options, ParquetWriter writer,
        int partition)
    {
        _schema = schema;
        _layout = layout;
        _options = options;
        _writer = writer;
        _partition = partition;
        _row = new ColdValue[layout.Columns.Count];
        _keyLeaf = ((LeafNode)schema.Columns[0]).Column;
        _rowValueLeaf = ((LeafNode)schema.Columns[schema.RowValueColumn]).Column;
        _flatLeaves = new LeafColumn?[_row.Length];
        var checkFits = new List<int>();
        for (var i = 0; i < _row.Length; i++)
        {
            _flatLeaves[i] = (schema.Columns[ColdFileSchema.UserColumnNode(i)] as LeafNode)?.Column;
            if (!ColdValueCheck.AlwaysFits(layout.Columns[i].Type))
                checkFits.Add(i);
        }
        _checkFits = [.. checkFits];
        var initial = Math.Min(options.RowGroupMaxRows, 4096);
        _rowTimes = new DateTime[initial];
        _rowOffsets = new long[initial];
        _rowPartitions = new int[initial];
    }

    public long RowCount { get; private set; }
    public long FirstOffset { get; private set; } = -1;
    public long LastOffset { get; private set; } = -1;
    public long MinTimestampMs { get; private set; } = long.MaxValue;
    public long MaxTimestampMs { get; private set; } = long.MinValue;
    public int RowGroupCount { get; private set; }

    /// <summary>Rows whose value bytes were kept raw because the layout could not re-encode them exactly.</summary>
    public long RawValueRows { get; private set; }

    public bool IsRowGroupFull => _buffered >= _options.RowGroupMaxRows || _bufferedBytes >= _options.RowGroupMaxBytes;

    public static async Task<ColdFileWriter> CreateAsync(ColdFileSchema schema, IColumnLayout layout, int partition,
        Stream output, ColdFileOptions options, CancellationToken cancellationToken)
    {
        var writer = await ParquetWriter.CreateAsync(schema.Schema, output, options.ToParquetOptions(schema.Schema),
            false, cancellationToken).ConfigureAwait(false);
        return new ColdFileWriter(schema, layout, options, writer, partition);
    }

    /// <summary>Buffers one record; <see cref="ColdArchiveException"/> for a ROWTIME Parquet cannot hold.</summary>
    public void Add(in LogRecord record)
    {
        if (!ColdFields.FitsTimestamp(record.TimestampMs))
            throw new ColdArchiveException(
                $"the record at offset {record.Offset} has ROWTIME {record.TimestampMs} ms, outside years 1-9999");
        EnsureSystemCapacity(_buffered + 1);
        _rowTimes[_buffered] = ColdFields.ToDateTime(record.TimestampMs);
        _rowOffsets[_buffered] = record.Offset;
        _rowPartitions[_buffered] = _partition;
        _buffered++;
        Track(record.Offset, record.TimestampMs);
        var columns = _schema.Columns;
        AddBytesOrNull(_keyLeaf, record.HasKey, record.Key);
        var exact = DecodeValue(record.Value);
        for (var i = 0; i < _row.Length; i++)
        {
            var leaf = _flatLeaves[i];
            if (leaf is null)
                RowShredder.Shred(columns[ColdFileSchema.UserColumnNode(i)], _row[i]);
            else
                AddFlat(leaf, _row[i], record.Value);
        }
        if (record.HeaderCount == 0)
            AddEmptyHeaders(columns[_schema.HeadersColumn]);
        else
            RowShredder.Shred(columns[_schema.HeadersColumn], HeadersOf(record));
        AddBytesOrNull(_rowValueLeaf, !exact, record.Value);
        if (!exact)
            RawValueRows++;
        // Counted per record, not summed over every leaf per record: the typed columns take about the value's
        // bytes, a raw value as much again.
        _bufferedBytes += SystemColumnBytes + record.Key.Length + record.RawHeaders.Length
            + (record.Value.Length * (exact ? 1L : 2L));
    }

    // rowtime, rowoffset, rowpartition.
    private const int SystemColumnBytes = 20;

    // A top-level column is one leaf at definition 1 (present) or 0 (NULL): no tree walk per value. Text and
    // bytes given as ranges of the value bytes are copied into the leaf's arena.
    private static void AddFlat(LeafColumn leaf, in ColdValue value, ReadOnlySpan<byte> valueBytes)
    {
        if (value.IsNull)
        {
            leaf.AddLevels(0, 0);
            return;
        }
        if (value.IsValueRange)
            leaf.AddBytes(valueBytes.Slice(value.RangeStart, value.RangeLength));
        else
            leaf.AddValue(value);
        leaf.AddLevels(1, 0);
    }

    // What the shredder does for a present, empty list, without its walk: most records carry no headers.
    private static void AddEmptyHeaders(ColdNode headers)
    {
        foreach (var leaf in headers.Leaves)
            leaf.AddLevels(headers.PresentDefinition, 0);
    }

    private static void AddBytesOrNull(LeafColumn leaf, bool present, ReadOnlySpan<byte> bytes)
    {
        if (!present)
        {
            leaf.AddLevels(0, 0);
            return;
        }
        leaf.AddBytes(bytes);
        leaf.AddLevels(1, 0);
    }

    /// <summary>Rows buffered for the running row group.</summary>
    public int BufferedRows => _buffered;

    /// <summary>
    /// Appends the row group <paramref name="source"/> has loaded (every column, same schema) as it was read:
    /// compaction copies values and levels, so each offset keeps exactly the values it had.
    /// </summary>
    public void AppendLoaded(ColdFileReader source)
    {
        if (!source.ReadsEveryColumn || source.Schema.Columns.Length != _schema.Columns.Length)
            throw new InvalidOperationException("a row group is copied only from a reader of every column");
        var rows = source.LoadedRows;
        EnsureSystemCapacity(_buffered + rows);
        var offsets = source.LoadedOffsets;
        var times = source.LoadedTimes;
        for (var i = 0; i < rows; i++)
        {
            _rowTimes[_buffered] = times[i];
            _rowOffsets[_buffered] = offsets[i];
            _rowPartitions[_buffered] = _partition;
            _buffered++;
            Track(offsets[i], ColdFields.ToEpochMs(times[i]));
        }
        var from = source.Schema.Columns;
        for (var node = 0; node < _schema.Columns.Length; node++)
        {
            var leaves = _schema.Columns[node].Leaves;
            for (var leaf = 0; leaf < leaves.Length; leaf++)
                leaves[leaf].AppendFrom(from[node].Leaves[leaf]);
        }
        _bufferedBytes = BufferedBytes();
    }

    public async Task FlushRowGroupAsync(CancellationToken cancellationToken)
    {
        if (_buffered == 0)
            return;
        using (var rowGroup = _writer.CreateRowGroup())
        {
            await rowGroup.WriteAsync<DateTime>(_schema.RowTimeField, _rowTimes.AsMemory(0, _buffered), null, null,
                cancellationToken).ConfigureAwait(false);
            await rowGroup.WriteAsync<long>(_schema.RowOffsetField, _rowOffsets.AsMemory(0, _buffered), null, null,
                cancellationToken).ConfigureAwait(false);
            await rowGroup.WriteAsync<int>(_schema.RowPartitionField, _rowPartitions.AsMemory(0, _buffered), null, null,
                cancellationToken).ConfigureAwait(false);
            foreach (var node in _schema.Columns)
            {
                foreach (var leaf in node.Leaves)
                    await leaf.WriteAsync(rowGroup, cancellationToken).ConfigureAwait(false);
            }
            rowGroup.CompleteValidate();
        }
        foreach (var node in _schema.Columns)
        {
            foreach (var leaf in node.Leaves)
                leaf.Clear();
        }
        _buffered = 0;
        _bufferedBytes = 0;
        RowGroupCount++;
    }

    /// <summary>Flushes the last row group and writes the footer with <paramref name="metadata"/>.</summary>
    public async Task CompleteAsync(Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        _writer.CustomMetadata = metadata;
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Completes the file with the key-value metadata every cold file carries (archived or merged alike): the
    /// stream, partition, offset range, row count, ROWTIME range and the schema it was written with.
    /// </summary>
    public Task CompleteAsync(string stream, int partition, long baseOffset, long endOffset, IColumnLayout layout,
        CancellationToken cancellationToken) => CompleteAsync(new Dictionary<string, string>
        {
            ["query.stream"] = stream,
            ["query.partition"] = Text(partition),
            ["query.baseOffset"] = Text(baseOffset),
            ["query.lastOffset"] = Text(endOffset - 1),
            ["query.rowCount"] = Text(RowCount),
            ["query.minRowtime"] = Text(MinTimestampMs),
            ["query.maxRowtime"] = Text(MaxTimestampMs),
            ["query.schemaVersion"] = Text(layout.SchemaVersion),
            ["query.schema"] = layout.SchemaText,
        }, cancellationToken);

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    // A value the layout cannot decode is kept whole in rowvalue, its typed columns NULL: archival never drops
    // or rewrites a row it does not understand.
    private bool DecodeValue(ReadOnlySpan<byte> value)
    {
        bool exact;
        try
        {
            exact = _layout.TryDecodeRanges(value, _row);
        }
        catch (FormatException)
        {
            exact = false;
            _row.AsSpan().Fill(ColdValue.Null);
        }
        foreach (var i in _checkFits)
        {
            if (!ColdValueCheck.Fits(_layout.Columns[i].Type, _row[i]))
            {
                _row[i] = ColdValue.Null;
                exact = false;
            }
        }
        return exact;
    }

    private static ColdValue HeadersOf(in LogRecord record)
    {
        var headers = new ColdValue[record.HeaderCount];
        var count = 0;
        foreach (var header in record.GetHeaders())
        {
            headers[count++] = ColdValue.FromRef(new[]
            {
                ColdValue.FromRef(Encoding.UTF8.GetString(header.KeyUtf8)),
                ColdValue.FromRef(header.Value.ToArray()),
            });
        }
        return ColdValue.FromRef(headers);
    }

    private void Track(long offset, long timestampMs)
    {
        if (FirstOffset < 0)
            FirstOffset = offset;
        LastOffset = offset;
        RowCount++;
        MinTimestampMs = Math.Min(MinTimestampMs, timestampMs);
        MaxTimestampMs = Math.Max(MaxTimestampMs, timestampMs);
    }

    private long BufferedBytes()
    {
        long bytes = _buffered * (long)SystemColumnBytes;
        foreach (var node in _schema.Columns)
        {
            foreach (var leaf in node.Leaves)
                bytes += leaf.BufferedBytes;
        }
        return bytes;
    }

    private void EnsureSystemCapacity(int rows)
    {
        if (rows <= _rowTimes.Length)
            return;
        var size = Math.Max(_rowTimes.Length * 2, rows);
        Array.Resize(ref _rowTimes, size);
        Array.Resize(ref _rowOffsets, size);
        Array.Resize(ref _rowPartitions, size);
    }
}
