using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Parquet;
using Query.Storage;
using Query.Storage.Reading;
using Query.Tiering.Layout;
using Query.Tiering.Parquet.Pages;

namespace Query.Tiering.Parquet;

/// <summary>
/// Reads one cold file back as log records in offset order: row groups outside the offset or ROWTIME range, or
/// excluded by the column predicates' statistics, are skipped; only the projected stream columns are read
/// (others come back NULL); rows that fail a column predicate are left out on the typed columns; each row kept
/// is re-encoded by the layout (or returned raw from <c>rowvalue</c>). Columns the file lacks (it predates ADD
/// COLUMN) read as NULL. Not thread-safe.
/// </summary>
internal sealed class ColdFileReader : IAsyncDisposable
{
    private readonly ParquetReader _reader;
    private readonly ColdOpenFile _file;
    private readonly ColdFileCache? _cache;      // takes the file back on dispose
    private readonly ColdFileSchema _schema;
    private readonly IColumnLayout _layout;
    private readonly ColdScanRange _range;
    private readonly bool[] _readNode;
    private readonly ColdRowFilter? _filter;
    private readonly ColdChunkReader? _chunks;
    private readonly ValueArenas _noArenas = new();
    private int[] _noDefinitions = [];
    private readonly ColdValue[] _row;
    private readonly ArrayBufferWriter<byte> _key = new();
    private readonly ArrayBufferWriter<byte> _value = new();
    private readonly ArrayBufferWriter<byte> _headers = new();
    private long[] _offsets = [];
    private DateTime[] _times = [];
    private int _rowGroup = -1;
    private int _rowCount;
    private int _rowPosition;
    private bool[] _keep = [];          // rows of the loaded row group to return: in range, kept by the filter
    private readonly int _admissionNode = -1;   // the node of the range's admission column, when it may be left out
    private bool _admissionSkipped;             // ... and it was, in the loaded row group

    private ColdFileReader(ColdOpenFile file, ColdFileCache? cache, ColdFileSchema schema, IColumnLayout layout,
        ColdScanRange range, bool[] readNode, ColdChunkReader? chunks)
    {
        _file = file;
        _cache = cache;
        _reader = file.Reader;
        _chunks = chunks;
        _schema = schema;
        _layout = layout;
        _range = range;
        _readNode = readNode;
        _filter = ColdRowFilter.Bind(schema, layout, range.Filter, node => readNode[node]);
        _row = new ColdValue[layout.Columns.Count];
        var admission = range.Columnar ? range.AdmissionColumn : -1;
        if (admission >= 0 && admission < schema.UserColumnCount && !Compares(range.Filter, admission)
            && readNode[ColdFileSchema.UserColumnNode(admission)]
            && schema.Columns[ColdFileSchema.UserColumnNode(admission)] is LeafNode { Column.IsRepeated: false })
            _admissionNode = ColdFileSchema.UserColumnNode(admission);
    }

    private static bool Compares(IReadOnlyList<ColumnPredicate>? filter, int column)
    {
        foreach (var predicate in filter ?? [])
        {
            if (predicate.Column == column)
                return true;
        }
        return false;
    }

    public ColdReadStatistics Statistics { get; } = new();

    /// <summary>Opens a cold file; <paramref name="ownDecoder"/> overrides <see cref="ColdDecoding.OwnDecoder"/>
    /// (tests compare both paths).</summary>
    public static Task<ColdFileReader> OpenAsync(string path, ColdFileSchema schema, IColumnLayout layout,
        ColdScanRange range, CancellationToken cancellationToken, bool? ownDecoder = null) =>
        OpenAsync(path, schema, layout, range, null, -1, cancellationToken, ownDecoder);

    /// <summary>Opens a cold file through <paramref name="cache"/> (null: opens it), whose manifest says it has
    /// <paramref name="sizeBytes"/> bytes: an open file kept there is reused, and given back on dispose.</summary>
    public static async Task<ColdFileReader> OpenAsync(string path, ColdFileSchema schema, IColumnLayout layout,
        ColdScanRange range, ColdFileCache? cache, long sizeBytes, CancellationToken cancellationToken,
        bool? ownDecoder = null)
    {
        var file = cache is null
            ? await ColdOpenFile.OpenAsync(path, cancellationToken).ConfigureAwait(false)
            : await cache.TakeAsync(path, sizeBytes, cancellationToken).ConfigureAwait(false);
        var readNode = new bool[schema.Columns.Length];
        for (var i = 0; i < readNode.Length; i++)
        {
            var user = i - 1;
            var wanted = range.Columnar
                ? i == schema.RowValueColumn || (user >= 0 && user < schema.UserColumnCount && range.IsRead(user))
                : user < 0 || user >= schema.UserColumnCount || range.IsRead(user);
            readNode[i] = wanted && file.FieldNames.Contains(schema.Schema.Fields[i + 3].Name);
        }
        ColdChunkReader? chunks;
        try
        {
            chunks = ColdChunkReader.Open(path, file.Schema, ownDecoder);
        }
        catch
        {
            await Release(file, cache).ConfigureAwait(false);
            throw;
        }
        return new ColdFileReader(file, cache, schema, layout, range, readNode, chunks);
    }

    private static ValueTask Release(ColdOpenFile file, ColdFileCache? cache) =>
        cache is null ? file.DisposeAsync() : cache.ReturnAsync(file);

    public int RowGroupCount => _reader.RowGroupCount;

    /// <summary>Whether every column of the schema is read (compaction copies only such readers' row groups).</summary>
    public bool ReadsEveryColumn => Array.TrueForAll(_readNode, read => read);

    /// <summary>The schema whose leaves hold the loaded row group's columns.</summary>
    public ColdFileSchema Schema => _schema;

    /// <summary>Rows of the loaded row group, and their offsets and ROWTIMEs.</summary>
    public int LoadedRows => _rowCount;

    public ReadOnlySpan<long> LoadedOffsets => _offsets.AsSpan(0, _rowCount);
    public ReadOnlySpan<DateTime> LoadedTimes => _times.AsSpan(0, _rowCount);

    /// <summary>Whether <paramref name="rowGroup"/> may hold rows of the range (by its statistics).</summary>
    private bool MayMatch(ParquetRowGroupReader rowGroup)
    {
        var offsets = rowGroup.GetStatistics(_schema.RowOffsetField);
        if (offsets?.MinValue is long minOffset && offsets.MaxValue is long maxOffset
            && (maxOffset < _range.StartOffset || minOffset >= _range.EndOffsetExclusive))
            return false;
        var times = rowGroup.GetStatistics(_schema.RowTimeField);
        var minMs = StatisticMs(times?.MinValue);
        var maxMs = StatisticMs(times?.MaxValue);
        return !(minMs is { } lo && maxMs is { } hi && (hi < _range.MinTimestampMs || lo > _range.MaxTimestampMs));
    }

    /// <summary>Loads the next row group that may match; false at the end of the file.</summary>
    public async ValueTask<bool> LoadNextRowGroupAsync(CancellationToken cancellationToken)
    {
        while (++_rowGroup < _reader.RowGroupCount)
        {
            var rowGroup = _reader.OpenRowGroupReader(_rowGroup);     // one per row group: opening one allocates
            if (!MayMatch(rowGroup))
            {
                Statistics.RowGroupsSkipped++;
                continue;
            }
            if (_filter?.MayMatch(rowGroup) == false)
            {
                Statistics.RowGroupsSkipped++;
                Statistics.RowGroupsSkippedByFilter++;
                continue;
            }
            await LoadRowGroupAsync(rowGroup, cancellationToken).ConfigureAwait(false);
            return true;
        }
        return false;
    }

    /// <summary>The next row of the loaded row group inside the offset range; false when it is used up.</summary>
    public bool TryRead(out LogRecord record)
    {
        if (_rowPosition < _rowCount)
        {
            // Rows left out are stepped over in one run per leaf: a selective read costs a search, not a loop.
            var rest = _keep.AsSpan(_rowPosition, _rowCount - _rowPosition);
            var next = rest.IndexOf(true);
            var skipped = next < 0 ? rest.Length : next;
            if (skipped > 0)
            {
                SkipRows(skipped);
                _rowPosition += skipped;
            }
            if (next >= 0)
            {
                var position = _rowPosition++;
                record = BuildRecord(_offsets[position], ColdFields.ToEpochMs(_times[position]));
                Statistics.RowsRead++;
                return true;
            }
        }
        record = default;
        return false;
    }

    public ValueTask DisposeAsync()
    {
        Statistics.ColumnChunksDecoded = _chunks?.ChunksDecoded ?? 0;
        Statistics.ColumnChunksDeclined = _chunks?.ChunksDeclined ?? 0;
        _chunks?.Dispose();
        return Release(_file, _cache);
    }

    /// <summary>Whether the loaded row group holds rows kept raw in <c>rowvalue</c> (its typed columns may not
    /// describe them: they are read as records).</summary>
    public bool LoadedRawRows
    {
        get
        {
            var rowValue = ((LeafNode)_schema.Columns[_schema.RowValueColumn]).Column;
            return _readNode[_schema.RowValueColumn] && rowValue.LoadedDefinitions.Contains(rowValue.MaxDefinition);
        }
    }

    /// <summary>
    /// The loaded row group as columns (read with <see cref="ColdScanRange.Columnar"/>): offsets, times when read,
    /// a vector per read stream column, and the rows <see cref="TryRead"/> would return as the selection. The row
    /// group is used up by it.
    /// </summary>
    public void FillBatch(ColumnBatch batch)
    {
        var rows = _rowCount;
        ColdColumnVectors.EnsureRows(batch, rows, _layout.Columns.Count);
        _offsets.AsSpan(0, rows).CopyTo(batch.Offsets);
        // Times not read are left as they are: the consumer takes them from the timestamp column (ColumnBatch).
        if (_range.ReadsRowTime)
        {
            var times = batch.TimestampsMs.AsSpan(0, rows);
            for (var row = 0; row < rows; row++)
                times[row] = ColdFields.ToEpochMs(_times[row]);
        }
        var selected = 0;
        var keep = _keep.AsSpan(0, rows);
        for (var row = 0; row < rows; row++)
        {
            batch.Selection[selected] = row;
            selected += keep[row] ? 1 : 0;
        }
        // Few rows kept (a selective filter): only their slots are filled; consumers read selected rows only.
        var only = selected * 4 < rows ? batch.Selection.AsSpan(0, selected) : default;
        for (var column = 0; column < batch.Columns.Length && selected > 0; column++)
        {
            var node = ColdFileSchema.UserColumnNode(column);
            batch.Columns[column] = _readNode[node] && !(node == _admissionNode && _admissionSkipped)
                && _schema.Columns[node] is LeafNode leaf
                ? ColdColumnVectors.Fill(batch.Columns[column], leaf.Column, _layout.Columns[column].Type.Kind, rows,
                    only)
                : null;
        }
        batch.RowCount = rows;
        batch.SelectedCount = selected;
        batch.EveryRowAdmitted = _admissionSkipped;
        Statistics.RowsRead += selected;
        _rowPosition = rows;
    }

    /// <summary>The file's first offset with ROWTIME at or after <paramref name="timestampMs"/>; -1: none.</summary>
    public static long FindOffsetForTimestamp(string path, long timestampMs) =>
        FindOffsetForTimestampAsync(path, timestampMs).GetAwaiter().GetResult();

    private static async Task<long> FindOffsetForTimestampAsync(string path, long timestampMs)
    {
        await using var reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
        var schema = reader.Schema;
        var timeField = schema.FindDataField(ColdFileSchema.RowTime);
        var offsetField = schema.FindDataField(ColdFileSchema.RowOffset);
        long best = -1;
        for (var i = 0; i < reader.RowGroupCount; i++)
        {
            var rowGroup = reader.OpenRowGroupReader(i);
            if (StatisticMs(rowGroup.GetStatistics(timeField)?.MaxValue) is { } max && max < timestampMs)
                continue;
            var rows = checked((int)rowGroup.RowCount);
            var times = new DateTime[rows];
            var offsets = new long[rows];
            await rowGroup.ReadAsync<DateTime>(timeField, times).ConfigureAwait(false);
            await rowGroup.ReadAsync<long>(offsetField, offsets).ConfigureAwait(false);
            for (var row = 0; row < rows; row++)
            {
                if (ColdFields.ToEpochMs(times[row]) >= timestampMs && (best < 0 || offsets[row] < best))
                    best = offsets[row];
            }
            if (best >= 0)
                return best;        // row groups are in offset order: a later one cannot hold a smaller offset
        }
        return best;
    }

    private async ValueTask LoadRowGroupAsync(ParquetRowGroupReader rowGroup, CancellationToken cancellationToken)
    {
        var rows = checked((int)rowGroup.RowCount);
        if (_offsets.Length < rows)
        {
            _offsets = new long[rows];
            _times = new DateTime[rows];
        }
        if (!(_range.Columnar && OffsetsFromStatistics(rowGroup, rows))
            && !TryDecodeRequired(rowGroup, _schema.RowOffsetField, ref _offsets, rows))
        {
            await rowGroup.ReadAsync<long>(_schema.RowOffsetField, _offsets.AsMemory(0, rows), null,
                cancellationToken).ConfigureAwait(false);
        }
        if (_range.ReadsRowTime && !TryDecodeRequired(rowGroup, _schema.RowTimeField, ref _times, rows))
        {
            await rowGroup.ReadAsync<DateTime>(_schema.RowTimeField, _times.AsMemory(0, rows), null,
                cancellationToken).ConfigureAwait(false);
        }
        _admissionSkipped = false;
        for (var i = 0; i < _readNode.Length; i++)
        {
            if (!_readNode[i])
                continue;
            if (i == _admissionNode && AdmitsEveryRow(rowGroup, ((LeafNode)_schema.Columns[i]).Column))
            {
                _admissionSkipped = true;
                Statistics.ColumnChunksLeftOut++;
                continue;
            }
            foreach (var leaf in _schema.Columns[i].Leaves)
                await leaf.ReadAsync(rowGroup, _chunks, cancellationToken).ConfigureAwait(false);
        }
        _rowCount = rows;
        _rowPosition = 0;
        Statistics.RowGroupsRead++;
        SelectRows(rows);
    }

    // A row group's offsets are distinct and ascending (rows are written in offset order, each offset once): when
    // its min and max span exactly as many offsets as it has rows, it holds every offset between them, and the
    // column need not be decoded (the usual case: a log without gaps). Only for column batches: reads of records
    // decode it (the decoder's tests compare it with Parquet.Net's through them).
    private bool OffsetsFromStatistics(ParquetRowGroupReader rowGroup, int rows)
    {
        var statistics = rowGroup.GetStatistics(_schema.RowOffsetField);
        if (statistics?.MinValue is not long min || statistics.MaxValue is not long max || max - min != rows - 1L)
            return false;
        var offsets = _offsets.AsSpan(0, rows);
        for (var row = 0; row < offsets.Length; row++)
            offsets[row] = min + row;
        return true;
    }

    // Whether the admission column's statistics show a non-negative value in every row (no NULL, minimum >= 0).
    private static bool AdmitsEveryRow(ParquetRowGroupReader rowGroup, LeafColumn leaf)
    {
        var statistics = rowGroup.GetStatistics(leaf.Field);
        return statistics?.NullCount == 0 && StatisticMs(statistics.MinValue) is >= 0;
    }

    // A required system column (rowoffset, rowtime) through the own decoder; false: read it with Parquet.Net.
    private bool TryDecodeRequired<T>(ParquetRowGroupReader rowGroup, global::Parquet.Schema.DataField field,
        ref T[] values, int rows) =>
        _chunks is not null && _chunks.TryRead(rowGroup, field, 0, ref _noDefinitions, ref values, _noArenas,
            out var decodedRows, out var count) && decodedRows == rows && count == rows;

    // Which rows of the loaded row group to return: inside the offset range, inside the ROWTIME range (rows
    // outside it are dropped too, as the source's contract allows: a narrow range then costs one row group's
    // columns, not its rows re-encoded), and kept by the column predicates.
    private void SelectRows(int rows)
    {
        if (_keep.Length < rows)
            _keep = new bool[rows];
        var keep = _keep.AsSpan(0, rows);
        if (rows == 0)
            return;
        if (_filter is null)
            keep.Fill(true);
        else
        {
            _filter.Select(rows).CopyTo(keep);
            Statistics.RowsFilteredOut += rows - keep.Count(true);
        }
        var offsets = _offsets.AsSpan(0, rows);
        if (offsets[0] < _range.StartOffset || offsets[^1] >= _range.EndOffsetExclusive)
        {
            for (var row = 0; row < rows; row++)
                keep[row] &= offsets[row] >= _range.StartOffset && offsets[row] < _range.EndOffsetExclusive;
        }
        if (_range.MinTimestampMs == long.MinValue && _range.MaxTimestampMs == long.MaxValue)
            return;
        var times = _times.AsSpan(0, rows);
        for (var row = 0; row < rows; row++)
        {
            var ms = ColdFields.ToEpochMs(times[row]);
            keep[row] &= ms >= _range.MinTimestampMs && ms <= _range.MaxTimestampMs;
        }
    }

    // Steps every read column past the next rows without building their values.
    private void SkipRows(int rows)
    {
        var columns = _schema.Columns;
        for (var i = 0; i < _readNode.Length; i++)
        {
            if (!_readNode[i])
                continue;
            foreach (var leaf in columns[i].Leaves)
                leaf.SkipRows(rows);
        }
    }

    private LogRecord BuildRecord(long offset, long timestampMs)
    {
        var columns = _schema.Columns;
        var key = _readNode[0] ? RowAssembler.Assemble(columns[0]) : ColdValue.Null;
        for (var i = 0; i < _row.Length; i++)
        {
            var node = ColdFileSchema.UserColumnNode(i);
            _row[i] = _readNode[node] ? RowAssembler.Assemble(columns[node]) : ColdValue.Null;
        }
        var headers = RowAssembler.Assemble(columns[_schema.HeadersColumn]);
        var raw = RowAssembler.Assemble(columns[_schema.RowValueColumn]);
        _key.ResetWrittenCount();
        if (!key.IsNull)
            _key.Write((byte[])key.Ref!);
        _value.ResetWrittenCount();
        if (raw.IsNull)
            _layout.Encode(_row, _value);
        else
            _value.Write((byte[])raw.Ref!);
        var headerCount = EncodeHeaders(headers);
        return new LogRecord
        {
            Offset = offset,
            TimestampMs = timestampMs,
            HasKey = !key.IsNull,
            Key = _key.WrittenSpan,
            Value = _value.WrittenSpan,
            HeaderCount = headerCount,
            RawHeaders = _headers.WrittenSpan,
        };
    }

    // The storage header encoding (storage/FORMAT.md): u16 key length, UTF-8 key, i32 value length, value.
    private int EncodeHeaders(in ColdValue headers)
    {
        _headers.ResetWrittenCount();
        if (headers.IsNull)
            return 0;
        var entries = (ColdValue[])headers.Ref!;
        foreach (var entry in entries)
        {
            var fields = (ColdValue[])entry.Ref!;
            var key = Encoding.UTF8.GetBytes((string?)fields[0].Ref ?? "");
            var value = (byte[]?)fields[1].Ref ?? [];
            var span = _headers.GetSpan(6 + key.Length + value.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)key.Length);
            key.CopyTo(span[2..]);
            BinaryPrimitives.WriteInt32LittleEndian(span[(2 + key.Length)..], value.Length);
            value.CopyTo(span[(6 + key.Length)..]);
            _headers.Advance(6 + key.Length + value.Length);
        }
        return entries.Length;
    }

    // Parquet.Net returns TIMESTAMP statistics as raw epoch units (milliseconds here), not DateTime.
    internal static long? StatisticMs(object? value) => value switch
    {
        long ms => ms,
        DateTime time => ColdFields.ToEpochMs(time),
        _ => null,
    };
}
