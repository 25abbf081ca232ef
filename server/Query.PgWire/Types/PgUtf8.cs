using System.Text;
using System.Text.Unicode;

namespace Query.PgWire.Types;

/// <summary>
/// Text from the client is UTF-8 (client_encoding is fixed to UTF8). Invalid sequences and NUL bytes are refused
/// with 22021 as PostgreSQL does, instead of being stored as U+FFFD or as a NUL no client can read back.
/// </summary>
public static class PgUtf8
{
    public const string CharacterNotInRepertoire = "22021";

    public static string Decode(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
            throw InvalidSequence(utf8);
        int nul = utf8.IndexOf((byte)0);
        if (nul >= 0)
            throw new PgException(CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x00");
        return Encoding.UTF8.GetString(utf8);
    }

    private static PgException InvalidSequence(ReadOnlySpan<byte> utf8)
    {
        int at = 0;
        while (at < utf8.Length)
        {
            var status = Rune.DecodeFromUtf8(utf8[at..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done)
                break;
            at += consumed;
        }
        var bad = utf8[at..Math.Min(utf8.Length, at + 2)];
        return new PgException(CharacterNotInRepertoire,
            $"invalid byte sequence for encoding \"UTF8\": 0x{Convert.ToHexStringLower(bad)}");
    }
}
