using System.Buffers.Binary;
using Query.Engine.Errors;
using Query.Storage;
using Query.Storage.Reading;

namespace Query.Engine.Persistent;

/// <summary>
/// What a persistent query has consumed, as of one commit: per source partition the offset of the next record to
/// read, plus the query's counters. One record per commit in the query's checkpoint log (<c>_query_ID_offsets</c>,
/// one partition), appended in the same <see cref="LogTransaction"/> as the output rows and state changes of that
/// commit; so the last record of the log always describes exactly what the sink and the state hold.
/// <para>Record value: <c>[u8 version = 2][i64 rows in][i64 rows out][i64 rows skipped][u16 partitions]</c> then
/// per partition <c>[i32 partition][i64 next offset]</c>, then <c>[i64 state start offset]</c> (where a replay of the
/// state log starts: its last snapshot), little-endian. Version 1 (no state start: replay all) still reads.</para>
/// </summary>
internal sealed record QueryCheckpoint(IReadOnlyDictionary<int, long> Offsets, long RowsIn, long RowsOut,
    long RowsSkipped)
{
    private const byte Version = 2;

    /// <summary>The state log offset a restore replays from (the first record of the last snapshot).</summary>
    public long StateStartOffset { get; init; }

    public byte[] Encode()
    {
        var bytes = new byte[1 + 24 + 2 + (Offsets.Count * 12) + 8];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), RowsIn);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(9), RowsOut);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(17), RowsSkipped);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(25), (ushort)Offsets.Count);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(bytes.Length - 8), StateStartOffset);
        var position = 27;
        foreach (var (partition, offset) in Offsets)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(position), partition);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(position + 4), offset);
            position += 12;
        }
        return bytes;
    }

    public static QueryCheckpoint Decode(ReadOnlySpan<byte> value)
    {
        if (value.Length < 27 || value[0] is not (1 or Version))
            throw Corrupt();
        var count = BinaryPrimitives.ReadUInt16LittleEndian(value[25..]);
        var tail = value[0] == 1 ? 0 : 8;
        if (value.Length != 27 + (count * 12) + tail)
            throw Corrupt();
        var offsets = new Dictionary<int, long>(count);
        for (var i = 0; i < count; i++)
        {
            var at = 27 + (i * 12);
            offsets[BinaryPrimitives.ReadInt32LittleEndian(value[at..])] =
                BinaryPrimitives.ReadInt64LittleEndian(value[(at + 4)..]);
        }
        return new QueryCheckpoint(offsets, BinaryPrimitives.ReadInt64LittleEndian(value[1..]),
            BinaryPrimitives.ReadInt64LittleEndian(value[9..]), BinaryPrimitives.ReadInt64LittleEndian(value[17..]))
        {
            StateStartOffset = tail == 0 ? 0 : BinaryPrimitives.ReadInt64LittleEndian(value[^8..]),
        };
    }

    private static SqlException Corrupt() =>
        new(SqlState.DataCorrupted, "a persistent query's checkpoint record is unreadable");

    /// <summary>The last committed checkpoint in <paramref name="log"/>, or null before the first commit.</summary>
    public static QueryCheckpoint? ReadLast(PartitionedLog log)
    {
        var source = new HotPartitionSource(log.GetPartition(0));
        var end = source.LastStableOffset;
        if (end <= source.StartOffset)
            return null;
        using var reader = source.OpenReader(end - 1, end);
        QueryCheckpoint? last = null;
        while (reader.TryRead(out var record))
            last = Decode(record.Value);
        return last;
    }

    /// <summary>
    /// Hands every record of a state changelog from <paramref name="fromOffset"/> (the last snapshot) to
    /// <paramref name="restore"/>, oldest first; returns how many.
    /// </summary>
    public static long ReplayState(PartitionedLog log, long fromOffset, RestoreAction restore)
    {
        var source = new HotPartitionSource(log.GetPartition(0));
        using var reader = source.OpenReader(Math.Max(fromOffset, source.StartOffset), source.LastStableOffset);
        long count = 0;
        while (reader.TryRead(out var record))
        {
            restore(record.Key, record.Value, record.ValueIsNull);
            count++;
        }
        return count;
    }

    /// <summary>One state entry; <paramref name="deleted"/> for a tombstone (the key has no state any more).</summary>
    public delegate void RestoreAction(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool deleted);
}
