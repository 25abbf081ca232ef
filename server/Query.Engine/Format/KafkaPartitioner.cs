using System.Buffers.Binary;
using System.Text;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// Kafka's default partitioner for keyed records: <c>toPositive(Utils.murmur2(keyBytes)) % numPartitions</c>,
/// over the key serialized as Kafka's own serializers do (ksqlDB's KAFKA key format), so a key lands in the
/// partition a Kafka producer would choose.
/// </summary>
public static class KafkaPartitioner
{
    public static int Partition(ReadOnlySpan<byte> keyBytes, int partitionCount) =>
        (Murmur2(keyBytes) & 0x7fffffff) % partitionCount;

    /// <summary>Kafka's <c>Utils.murmur2</c> (seed 0x9747b28c), bit for bit.</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28c ^ (uint)length;
        var length4 = length / 4;
        for (var i = 0; i < length4; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        var tail = length & ~3;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                h ^= (uint)data[tail + 1] << 8;
                h ^= data[tail];
                h *= m;
                break;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                h ^= data[tail];
                h *= m;
                break;
            case 1:
                h ^= data[tail];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }

    /// <summary>
    /// Serializes a non-null key as Kafka's serializers do: INT/DATE/TIME 4 bytes and BIGINT/TIMESTAMP 8 bytes
    /// big-endian, DOUBLE as its IEEE bits big-endian, STRING as UTF-8, BYTES raw; other types use their text.
    /// </summary>
    public static byte[] SerializeKey(in Cell key, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time:
                var int32 = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(int32, (int)key.Bits);
                return int32;
            case SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double:
                var int64 = new byte[8];
                BinaryPrimitives.WriteInt64BigEndian(int64, key.Bits);
                return int64;
            case SqlTypeKind.Boolean:
                return [key.Bits != 0 ? (byte)1 : (byte)0];
            case SqlTypeKind.String:
                return Encoding.UTF8.GetBytes((string)key.Ref!);
            case SqlTypeKind.Bytes:
                return (byte[])key.Ref!;
            default:
                return Encoding.UTF8.GetBytes(ValueText.Format(key.ToObject(type), type));
        }
    }
}
