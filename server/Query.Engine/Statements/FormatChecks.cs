using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Statements;

/// <summary>What each key and value format can hold, checked at CREATE STREAM as ksqlDB checks it.</summary>
internal static class FormatChecks
{
    public static void Check(StreamProperties properties, IReadOnlyList<ColumnInfo> columns, int key, int position)
    {
        var valueColumns = columns.Count - (key >= 0 ? 1 : 0);
        if (properties.KeyFormat == KeyFormat.None && key >= 0)
            throw Error("KEY_FORMAT 'NONE' cannot hold a KEY column", position);
        if (properties.KeyFormat is KeyFormat.Json or KeyFormat.Delimited
            && properties.ValueFormat == ValueFormat.Binary)
            throw SqlException.FeatureNotSupported(
                $"KEY_FORMAT '{properties.KeyFormat.ToString().ToUpperInvariant()}' with the BINARY value format "
                + "(give VALUE_FORMAT JSON, DELIMITED, KAFKA or NONE)", position);
        if (key >= 0 && properties.KeyFormat == KeyFormat.Kafka && !KafkaSerde.Supports(columns[key].Type)
            && properties.ValueFormat != ValueFormat.Binary)
            throw Error($"the KAFKA key format cannot hold {columns[key].Type}", position);
        if (properties.WrapSingleValue is not null && valueColumns != 1)
            throw Error("WRAP_SINGLE_VALUE is only valid for a value of one column", position);
        switch (properties.ValueFormat)
        {
            case ValueFormat.Kafka when valueColumns > 1:
                throw Error("the KAFKA value format holds one column; use JSON or DELIMITED for more", position);
            case ValueFormat.Kafka:
                CheckTypes(columns, key, KafkaSerde.Supports, "KAFKA", position);
                break;
            case ValueFormat.Delimited:
                CheckTypes(columns, key, type => !type.IsComplex, "DELIMITED", position);
                break;
            case ValueFormat.None when valueColumns > 0:
                throw Error("VALUE_FORMAT 'NONE' cannot hold value columns", position);
        }
        if (properties.KeyFormat == KeyFormat.Delimited && key >= 0 && columns[key].Type.IsComplex)
            throw Error($"the DELIMITED key format cannot hold {columns[key].Type}", position);
    }

    private static void CheckTypes(IReadOnlyList<ColumnInfo> columns, int key, Func<SqlType, bool> supported,
        string format, int position)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (i != key && !supported(columns[i].Type))
                throw Error($"the {format} format cannot hold column \"{columns[i].Name}\" of type {columns[i].Type}",
                    position);
        }
    }

    private static SqlException Error(string message, int position) =>
        new(SqlState.FeatureNotSupported, message, position: position);
}
