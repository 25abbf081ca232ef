using System.Buffers.Binary;
using System.Text;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Format;

/// <summary>
/// ksqlDB's KAFKA format for one primitive: INT/DATE/TIME 4 bytes and BIGINT/TIMESTAMP 8 bytes big-endian, DOUBLE
/// its IEEE bits big-endian, BOOLEAN one byte, STRING UTF-8, BYTES raw. Anything else cannot be read (a record of
/// the wrong size is a deserialization error).
/// </summary>
public static class KafkaSerde
{
    public static Cell Read(ReadOnlySpan<byte> data, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time when data.Length == 4 =>
            Cell.FromInt64(BinaryPrimitives.ReadInt32BigEndian(data)),
        SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double when data.Length == 8 =>
            Cell.FromInt64(BinaryPrimitives.ReadInt64BigEndian(data)),
        SqlTypeKind.Boolean when data.Length == 1 => Cell.FromInt64(data[0] != 0 ? 1 : 0),
        SqlTypeKind.String => Cell.FromRef(new UTF8Encoding(false, true).GetString(data)),
        SqlTypeKind.Bytes => Cell.FromRef(data.ToArray()),
        _ => throw new SqlException(SqlState.InvalidTextRepresentation,
            $"{data.Length} bytes are not a KAFKA-format {type}"),
    };

    public static byte[] Write(in Cell cell, SqlType type) => KafkaPartitioner.SerializeKey(cell, type);

    /// <summary>What a KAFKA key or value column may be declared as. BOOLEAN is refused as ksqlDB refuses it (Kafka
    /// has no boolean serializer), though a one-byte value still reads for records written before.</summary>
    public static bool Supports(SqlType type) => type.Kind is SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time
        or SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double or SqlTypeKind.String
        or SqlTypeKind.Bytes;
}
