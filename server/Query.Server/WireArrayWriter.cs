using Query.Engine.Types;
using Query.PgWire.Types;

namespace Query.Server;

/// <summary>
/// Writes an ARRAY value as a PostgreSQL array, each element by the array's declared element type: a STRUCT or
/// MAP element is its JSON text (the column is json[]), TIMESTAMP / DATE / TIME elements are PostgreSQL temporal
/// values. Writing elements by their runtime CLR type would print an engine object's type name or a timestamp as
/// a bare number.
/// </summary>
internal static class WireArrayWriter
{
    public static void Write(PgRowWriter writer, SqlArray array, ArrayType type)
    {
        var element = type.Element;
        writer.BeginArray(array.Count);
        foreach (var item in array.Items)
            WriteElement(writer, item, element);
        writer.EndArray();
    }

    private static void WriteElement(PgRowWriter writer, object? item, SqlType type)
    {
        if (item is null)
        {
            writer.WriteNull();
            return;
        }
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean: writer.WriteBool((bool)item); break;
            case SqlTypeKind.Int: writer.WriteInt32((int)item); break;
            case SqlTypeKind.BigInt: writer.WriteInt64((long)item); break;
            case SqlTypeKind.Double: writer.WriteFloat8((double)item); break;
            case SqlTypeKind.Decimal when item is WideDecimal wide:
                writer.WriteNumeric(wide.Unscaled, wide.Scale);
                break;
            case SqlTypeKind.Decimal: writer.WriteNumeric((decimal)item); break;
            case SqlTypeKind.String: writer.WriteText((string)item); break;
            case SqlTypeKind.Bytes: writer.WriteBytes((byte[])item); break;
            case SqlTypeKind.Timestamp: writer.WriteTimestamp((long)item * 1000); break;
            case SqlTypeKind.Date: writer.WriteDate((int)item); break;
            case SqlTypeKind.Time: writer.WriteTime((int)item * 1000L); break;
            default: writer.WriteText(ValueText.ToJson(item, type)); break;
        }
    }
}
