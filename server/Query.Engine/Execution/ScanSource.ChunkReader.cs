using System.Runtime.CompilerServices;
using Query.Engine.Execution.Operators;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

// Reading chunks for the ScanCache: one log reader over the rest of the range, cut into whole chunks as it goes
// (the record that crosses into the next chunk starts that chunk's batch), so a first scan reads the log once,
// as a scan without the cache does.
public sealed partial class ScanSource
{
    // Chunks read per call: what is handed up next, and the memory a scan holds beyond the cache.
    private const int ChunksPerRead = 4;

    private IRecordReader? _chunkReader;
    private long _chunkReaderEnd;
    private long _buildStart;        // the first offset of the chunk whose records _building holds
    private int _buildSequence;      // the partition's truncation sequence when the reader opened
    private readonly List<long> _buildSkipped = [];
    private long _lastChunkBytes;

    // Reads the chunk at chunkIndex and a few after it into _pending, keeping whole ones while the cache has room;
    // false when the range is not read as chunks from here (see NextChunk).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ReadChunks(long chunkIndex)
    {
        var size = _cache!.ChunkRecords;
        var start = chunkIndex * size;
        if (_chunkReader is null || _buildStart != start)
        {
            CloseChunkReader();
            if (!OpenChunkReader(start, size))
                return false;
        }
        var produced = 0;
        while (produced < ChunksPerRead)
        {
            if (!_chunkReader!.TryRead(out var record))
            {
                while (_buildStart < _chunkReaderEnd)
                    FinishChunk(size);
                CloseChunkReader();
                break;
            }
            _statistics.RecordsScanned++;
            if (CancellationToken.IsCancellationRequested)
                throw Errors.SqlException.Canceled();
            while (record.Offset >= _buildStart + size)
            {
                FinishChunk(size);
                produced++;
            }
            if (record.ValueIsNull)
                continue;   // a tombstone is no row of a stream (as Fill)
            if (!_building!.Add(record.Key, record.HasKey, record.Value, record.Offset, record.TimestampMs, _partition,
                    record.RawHeaders, record.HeaderCount))
                _buildSkipped.Add(record.Offset);
        }
        return _pending.Count > 0;
    }

    // A reader from `start` to the end of the range's last chunk (or the last stable offset), when the rest of the
    // range is at least a chunk, the chunk is wholly retained, no truncation runs and the cache has room.
    private bool OpenChunkReader(long start, int size)
    {
        var hot = _hot!;
        var sequence = hot.TruncationSequence;
        var end = Math.Min(hot.LastStableOffset, (_rangeEnd + size - 1) / size * size);
        if (_rangeEnd - _position < size || (sequence & 1) != 0 || start < hot.StartOffset || end <= start
            || !_cache!.HasRoom(_lastChunkBytes > 0 ? _lastChunkBytes : size * 128L))
            return false;
        _building ??= new RecordBatch(size, 1 << 30, _plan.Stream.CreateCursor());
        _building.Clear();
        _buildSkipped.Clear();
        _chunkReader = hot.OpenReader(start, end);
        _chunkReaderEnd = end;
        _buildStart = start;
        _buildSequence = sequence;
        return true;
    }

    // Ends the chunk being built: queued to be handed up, and kept if it is whole and still what the log holds.
    private void FinishChunk(int size)
    {
        var end = _buildStart + size;
        var chunk = new CachedChunk(_building!.Compact(), _buildStart, end, [.. _buildSkipped], _buildSequence,
            _plan.Stream.Definition);
        _lastChunkBytes = chunk.SizeBytes;
        var hot = _hot!;
        var whole = end <= _chunkReaderEnd && _chunkReader!.NextOffset >= end
            && _chunkReader.Statistics.OffsetsSkippedByRetention == 0 && hot.TruncationSequence == _buildSequence;
        if (whole)
            _cache!.TryAdd(hot, _buildStart / size, chunk);
        _pending.Enqueue(chunk);
        _building.Clear();
        _buildSkipped.Clear();
        _buildStart = end;
    }

    private void CloseChunkReader()
    {
        if (_chunkReader is null)
            return;
        _statistics.Add(_chunkReader.Statistics);
        _chunkReader.Dispose();
        _chunkReader = null;
    }
}
