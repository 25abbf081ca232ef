using System.Buffers.Binary;
using Query.Engine.Catalog;

namespace Query.Engine.Windows;

/// <summary>
/// The record key of a windowed table, as Kafka Streams' windowed serdes write it: the key column's bytes, then for
/// a tumbling or hopping window its start (8 bytes, big-endian; the end is start + size), for a session its end
/// then its start (8 bytes each, big-endian). So every window of a key is its own row of the table.
/// </summary>
public static class WindowedKey
{
    /// <summary>Bytes the window adds to a key of a <paramref name="kind"/> window.</summary>
    public static int SuffixBytes(WindowKind kind) => kind == WindowKind.Session ? 16 : 8;

    /// <summary>
    /// The partition of a record key a query writes: Kafka's murmur2 partition of the key, and for a windowed key of
    /// the key without its window, as Kafka Streams' WindowedStreamPartitioner places windowed output (every window
    /// of a key in one partition).
    /// </summary>
    public static int SinkPartition(ReadOnlySpan<byte> key, TableWindow? window, int partitions) =>
        Format.KafkaPartitioner.Partition(
            window is not null && key.Length >= SuffixBytes(window.Kind) ? key[..^SuffixBytes(window.Kind)] : key,
            partitions);

    public static byte[] Append(ReadOnlySpan<byte> key, WindowKind kind, long startMs, long endMs)
    {
        var bytes = new byte[key.Length + SuffixBytes(kind)];
        Write(bytes, key, kind, startMs, endMs);
        return bytes;
    }

    /// <summary>Writes the record key into <paramref name="target"/> (exactly the key's length plus
    /// <see cref="SuffixBytes"/>).</summary>
    public static void Write(Span<byte> target, ReadOnlySpan<byte> key, WindowKind kind, long startMs, long endMs)
    {
        key.CopyTo(target);
        var suffix = target[key.Length..];
        if (kind == WindowKind.Session)
        {
            BinaryPrimitives.WriteInt64BigEndian(suffix, endMs);
            BinaryPrimitives.WriteInt64BigEndian(suffix[8..], startMs);
        }
        else
        {
            BinaryPrimitives.WriteInt64BigEndian(suffix, startMs);
        }
    }

    /// <summary>Splits a windowed record key; false when it is too short to hold a window.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> key, TableWindow window, out ReadOnlySpan<byte> inner,
        out long startMs, out long endMs)
    {
        var suffixBytes = SuffixBytes(window.Kind);
        inner = default;
        startMs = endMs = 0;
        if (key.Length < suffixBytes)
            return false;
        inner = key[..^suffixBytes];
        var suffix = key[^suffixBytes..];
        if (window.Kind == WindowKind.Session)
        {
            endMs = BinaryPrimitives.ReadInt64BigEndian(suffix);
            startMs = BinaryPrimitives.ReadInt64BigEndian(suffix[8..]);
        }
        else
        {
            startMs = BinaryPrimitives.ReadInt64BigEndian(suffix);
            endMs = startMs + window.SizeMs;
        }
        return true;
    }
}
