using System.Buffers.Binary;
using Query.Engine.Format;

namespace Query.Engine.Windows;

/// <summary>
/// A windowed aggregate's stream time: the largest ROWTIME read, per source partition and over all of them. Kafka
/// Streams keeps stream time per task, a task being one partition of the aggregation's input, and a window closes
/// and expires by its task's time; ksqlDB's windowed aggregate grouped by the source's key runs one task per source
/// partition, so one partition far ahead does not close the windows of another that is behind. The operator does the
/// same when the GROUP BY holds the source's key (all of a window's records then come from one partition): each window
/// belongs to its records' partition, whose clock decides lateness, closing and expiry. Otherwise ksqlDB
/// re-partitions by the GROUP BY key and every source partition feeds every task, so one clock over all partitions
/// stands for them (index <see cref="All"/>, the only one when there are no partition clocks).
/// </summary>
internal sealed class StreamClocks
{
    private readonly long[] _ms;   // per partition, then the clock over all of them

    /// <param name="partitions">Partition clocks (0: only the one over all partitions).</param>
    public StreamClocks(int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partitions);
        _ms = new long[partitions + 1];
        _ms.AsSpan().Fill(long.MinValue);
    }

    /// <summary>Clocks, the one over all partitions included.</summary>
    public int Count => _ms.Length;

    /// <summary>The index of the clock over all partitions.</summary>
    public int All => _ms.Length - 1;

    /// <summary>Stream time over all partitions (long.MinValue before the first record).</summary>
    public long AllMs => _ms[^1];

    /// <summary>Each partition's stream time (empty without partition clocks).</summary>
    public ReadOnlySpan<long> PartitionsMs => _ms.AsSpan(0, _ms.Length - 1);

    public long this[int clock] => _ms[clock];

    /// <summary>The clock of a record read from <paramref name="partition"/>.</summary>
    public int Of(int partition) => (uint)partition < (uint)All ? partition : All;

    /// <summary>Advances <paramref name="clock"/> (and the one over all) to <paramref name="timeMs"/>; true when
    /// either moved.</summary>
    public bool Advance(int clock, long timeMs)
    {
        var moved = false;
        if (timeMs > _ms[clock])
        {
            _ms[clock] = timeMs;
            moved = true;
        }
        if (timeMs > _ms[^1])
        {
            _ms[^1] = timeMs;
            moved = true;
        }
        return moved;
    }

    /// <summary>The state log's meta value: <c>[i64 stream time][i64 late records]</c> then, with partition
    /// clocks, <c>[i64]</c> per partition (a reader of the first two fields alone still reads it).</summary>
    public byte[] Encode(long lateRecords)
    {
        var meta = new byte[16 + (8 * All)];
        BinaryPrimitives.WriteInt64LittleEndian(meta, AllMs);
        BinaryPrimitives.WriteInt64LittleEndian(meta.AsSpan(8), lateRecords);
        for (var p = 0; p < All; p++)
            BinaryPrimitives.WriteInt64LittleEndian(meta.AsSpan(16 + (8 * p)), _ms[p]);
        return meta;
    }

    /// <summary>Restores the clocks from a meta value and returns the late count. A value without partition clocks
    /// (one clock, or written before them) or with another number of partitions sets every partition to the stream
    /// time over all: nothing reopens that had closed.</summary>
    public long Decode(ReadOnlySpan<byte> meta)
    {
        if (meta.Length < 16 || (meta.Length - 16) % 8 != 0)
            throw NestedValueCodec.Corrupt();
        var all = BinaryPrimitives.ReadInt64LittleEndian(meta);
        var partitions = (meta.Length - 16) / 8;
        for (var p = 0; p < All; p++)
            _ms[p] = partitions == All ? BinaryPrimitives.ReadInt64LittleEndian(meta[(16 + (8 * p))..]) : all;
        _ms[^1] = all;
        return BinaryPrimitives.ReadInt64LittleEndian(meta[8..]);
    }
}
