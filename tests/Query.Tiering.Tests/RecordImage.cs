using Query.Storage;

namespace Query.Tiering.Tests;

/// <summary>A record copied out of a reader's buffer, comparable by value (bytes as hex).</summary>
internal sealed record RecordImage(long Offset, long TimestampMs, bool HasKey, string KeyHex, string ValueHex,
    int HeaderCount, string HeadersHex)
{
    public static RecordImage Of(in LogRecord record) => new(record.Offset, record.TimestampMs, record.HasKey,
        record.HasKey ? Convert.ToHexString(record.Key) : "", Convert.ToHexString(record.Value), record.HeaderCount,
        Convert.ToHexString(record.RawHeaders));
}
