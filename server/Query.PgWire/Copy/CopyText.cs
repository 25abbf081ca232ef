using Query.PgWire.Framing;
using Query.PgWire.Protocol;

namespace Query.PgWire.Copy;

/// <summary>Encodes one DataRow body (text-format fields) as a COPY text or CSV line.</summary>
internal static class CopyText
{
    public static void WriteRow(PgOutputBuffer output, ReadOnlySpan<byte> row, CopyOptions options)
    {
        int count = PgInput.ReadInt16(row, 0);
        int at = 2;
        byte delimiter = (byte)options.EffectiveDelimiter;
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
                output.WriteByte(delimiter);
            int length = PgInput.ReadInt32(row, at);
            at += 4;
            if (length < 0)
            {
                output.WriteUtf8(options.EffectiveNull);
                continue;
            }
            var value = row.Slice(at, length);
            at += length;
            if (options.Format == CopyFormat.Csv)
                WriteCsvField(output, value, options, delimiter);
            else
                WriteTextField(output, value, delimiter);
        }
        output.WriteByte((byte)'\n');
    }

    private static void WriteTextField(PgOutputBuffer output, ReadOnlySpan<byte> value, byte delimiter)
    {
        foreach (var b in value)
        {
            switch (b)
            {
                case (byte)'\\': output.WriteByte((byte)'\\'); output.WriteByte((byte)'\\'); break;
                case (byte)'\n': output.WriteByte((byte)'\\'); output.WriteByte((byte)'n'); break;
                case (byte)'\r': output.WriteByte((byte)'\\'); output.WriteByte((byte)'r'); break;
                case (byte)'\t' when delimiter == (byte)'\t':
                    output.WriteByte((byte)'\\');
                    output.WriteByte((byte)'t');
                    break;
                default:
                    if (b == delimiter)
                        output.WriteByte((byte)'\\');
                    output.WriteByte(b);
                    break;
            }
        }
    }

    private static void WriteCsvField(PgOutputBuffer output, ReadOnlySpan<byte> value, CopyOptions options,
        byte delimiter)
    {
        byte quote = (byte)options.Quote;
        bool needsQuotes = value.IsEmpty && options.EffectiveNull.Length == 0;
        foreach (var b in value)
        {
            if (b == delimiter || b == quote || b is (byte)'\n' or (byte)'\r')
            {
                needsQuotes = true;
                break;
            }
        }
        if (!needsQuotes)
        {
            output.WriteBytes(value);
            return;
        }
        output.WriteByte(quote);
        foreach (var b in value)
        {
            if (b == quote)
                output.WriteByte((byte)options.EffectiveEscape);
            output.WriteByte(b);
        }
        output.WriteByte(quote);
    }
}
