using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Statements;

/// <summary>What each key and value format can hold, checked at CREATE STREAM as ksqlDB checks it.</summary>
internal static class FormatChecks
{
    // headers: the header columns, which live in the record's headers rather than its value.
    public static void Check(StreamProperties properties, IReadOnlyList<ColumnInfo> columns, int key, int position,
        IReadOnlyList<HeaderColumn>? headers = null)
    {
        headers ??= [];
        var valueColumns = columns.Count - (key >= 0 ? 1 : 0) - headers.Count;
        if (properties.ValueFormat == ValueFormat.Delimited && properties.WrapSingleValue == true)
            throw new SqlException(SqlState.InvalidParameterValue,
                "the DELIMITED format does not support WRAP_SINGLE_VALUE set to true", position: position);
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
                CheckTypes(columns, key, headers, KafkaSerde.Supports, "KAFKA", position);
                break;
            case ValueFormat.Delimited:
                CheckTypes(columns, key, headers, type => !type.IsComplex, "DELIMITED", position);
                break;
            case ValueFormat.None when valueColumns > 0:
                throw Error("VALUE_FORMAT 'NONE' cannot hold value columns", position);
        }
        if (properties.KeyFormat == KeyFormat.Delimited && key >= 0 && columns[key].Type.IsComplex)
            throw Error($"the DELIMITED key format cannot hold {columns[key].Type}", position);
    }

    private static void CheckTypes(IReadOnlyList<ColumnInfo> columns, int key, IReadOnlyList<HeaderColumn> headers,
        Func<SqlType, bool> supported, string format, int position)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            var column = i;
            if (i != key && !headers.Any(h => h.Column == column) && !supported(columns[i].Type))
                throw Error($"the {format} format cannot hold column \"{columns[i].Name}\" of type {columns[i].Type}",
                    position);
        }
    }

    private static SqlException Error(string message, int position) =>
        new(SqlState.FeatureNotSupported, message, position: position);
}
