using Query.PgWire.Types;

namespace Query.PgWire.Framing;

/// <summary>Encoders for backend messages and decoders for frontend message fields.</summary>
internal static class PgMessages
{
    public static ReadOnlySpan<byte> ParseComplete => [(byte)'1', 0, 0, 0, 4];
    public static ReadOnlySpan<byte> BindComplete => [(byte)'2', 0, 0, 0, 4];
    public static ReadOnlySpan<byte> CloseComplete => [(byte)'3', 0, 0, 0, 4];
    public static ReadOnlySpan<byte> NoData => [(byte)'n', 0, 0, 0, 4];
    public static ReadOnlySpan<byte> PortalSuspended => [(byte)'s', 0, 0, 0, 4];
    public static ReadOnlySpan<byte> EmptyQueryResponse => [(byte)'I', 0, 0, 0, 4];
    public static ReadOnlySpan<byte> CopyDone => [(byte)'c', 0, 0, 0, 4];

    /// <summary>Most parameters or columns one message can count (an unsigned 16-bit field).</summary>
    public const int MaxFieldCount = ushort.MaxValue;

    /// <summary>
    /// Reads a NUL-terminated UTF-8 string at <paramref name="at"/>; <paramref name="next"/> is past the NUL.
    /// </summary>
    public static string ReadCString(ReadOnlySpan<byte> body, int at, out int next)
    {
        if (at > body.Length)
            throw new PgProtocolException("message ends before a string field");
        int end = body[at..].IndexOf((byte)0);
        if (end < 0)
            throw new PgProtocolException("string field is not NUL-terminated");
        next = at + end + 1;
        return PgUtf8.Decode(body.Slice(at, end));
    }

    public static short ReadInt16(ReadOnlySpan<byte> body, ref int at)
    {
        if (at + 2 > body.Length)
            throw new PgProtocolException("message too short");
        var value = PgInput.ReadInt16(body, at);
        at += 2;
        return value;
    }

    public static int ReadInt32(ReadOnlySpan<byte> body, ref int at)
    {
        if (at + 4 > body.Length)
            throw new PgProtocolException("message too short");
        var value = PgInput.ReadInt32(body, at);
        at += 4;
        return value;
    }

    public static void WriteError(PgOutputBuffer output, PgException error, string severity, bool notice = false)
    {
        output.BeginMessage(notice ? (byte)'N' : (byte)'E');
        Field(output, 'S', severity);
        Field(output, 'V', severity);
        Field(output, 'C', error.SqlState);
        Field(output, 'M', error.Message);
        if (error.Detail is not null)
            Field(output, 'D', error.Detail);
        if (error.Hint is not null)
            Field(output, 'H', error.Hint);
        if (error.Where is not null)
            Field(output, 'W', error.Where);
        if (error.Position > 0)
            Field(output, 'P', error.Position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.WriteByte(0);
        output.EndMessage();
    }

    public static void WriteNotice(PgOutputBuffer output, string sqlState, string message) =>
        WriteError(output, new PgException(sqlState, message), "WARNING", notice: true);

    private static void Field(PgOutputBuffer output, char code, string value)
    {
        output.WriteByte((byte)code);
        output.WriteCString(value);
    }

    public static void WriteCommandComplete(PgOutputBuffer output, string tag)
    {
        output.BeginMessage((byte)'C');
        output.WriteCString(tag);
        output.EndMessage();
    }

    public static void WriteParameterStatus(PgOutputBuffer output, string name, string value)
    {
        output.BeginMessage((byte)'S');
        output.WriteCString(name);
        output.WriteCString(value);
        output.EndMessage();
    }

    public static void WriteRowDescription(PgOutputBuffer output, PgColumn[] columns, bool[]? binary)
    {
        output.BeginMessage((byte)'T');
        output.WriteInt16((short)columns.Length);
        for (int i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            output.WriteCString(column.Name);
            output.WriteInt32(0);
            output.WriteInt16(0);
            output.WriteInt32(column.TypeOid);
            output.WriteInt16(PgTypeTable.Get(column.TypeOid).Length);
            output.WriteInt32(column.TypeModifier);
            output.WriteInt16(binary is not null && binary[i] ? (short)1 : (short)0);
        }
        output.EndMessage();
    }

    public static void WriteParameterDescription(PgOutputBuffer output, int[] oids)
    {
        output.BeginMessage((byte)'t');
        output.WriteInt16((short)oids.Length);
        foreach (var oid in oids)
            output.WriteInt32(oid);
        output.EndMessage();
    }
}
