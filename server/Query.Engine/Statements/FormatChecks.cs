using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Engine.Statements;

/// <summary>What each key and value format can hold, checked at CREATE STREAM as ksqlDB checks it. The binary value
/// format (ours) takes any key format: its key columns are in the value too, the record key only places the row and
/// keys a table's state. A column a format cannot hold is an invalid definition (42P16), as ksqlDB refuses it by
/// design, not a feature still missing (0A000 is kept for the schema-registry formats).</summary>
internal static class FormatChecks
{
    // keys: the key columns in key order; headers: the header columns, which live in the record's headers rather
    // than its value.
    public static void Check(StreamProperties properties, IReadOnlyList<ColumnInfo> columns, IReadOnlyList<int> keys,
        int position, IReadOnlyList<HeaderColumn>? headers = null)
    {
        headers ??= [];
        var valueColumns = columns.Count - keys.Count - headers.Count;
        if (properties.ValueFormat == ValueFormat.Delimited && properties.WrapSingleValue == true)
            throw new SqlException(SqlState.InvalidParameterValue,
                "the DELIMITED format does not support WRAP_SINGLE_VALUE set to true", position: position);
        CheckKey(properties, columns, keys, position);
        if (properties.ValueFormat == ValueFormat.Json || properties.KeyFormat == KeyFormat.Json)
            CheckJsonMapKeys(properties, columns, keys, headers, position);
        if (properties.WrapSingleValue is not null && valueColumns != 1)
            throw Error("WRAP_SINGLE_VALUE is only valid for a value of one column", position);
        switch (properties.ValueFormat)
        {
            case ValueFormat.Kafka when valueColumns > 1:
                throw Error("the KAFKA value format holds one column; use JSON or DELIMITED for more", position);
            case ValueFormat.Kafka:
                CheckTypes(columns, keys, headers, KafkaSerde.Supports, "KAFKA", position);
                break;
            case ValueFormat.Delimited:
                CheckTypes(columns, keys, headers, type => !type.IsComplex, "DELIMITED", position);
                break;
            case ValueFormat.None when valueColumns > 0:
                throw Error("VALUE_FORMAT 'NONE' cannot hold value columns", position);
        }
    }

    /// <summary>
    /// What the key format holds, as ksqlDB checks it: KAFKA one column of a primitive type (several key columns
    /// or another type are 42P16, errors in ksqlDB too: "Key format does not support schema"), JSON any columns,
    /// DELIMITED columns of primitive types, NONE no key column; KEY_DELIMITER only for DELIMITED keys.
    /// </summary>
    private static void CheckKey(StreamProperties properties, IReadOnlyList<ColumnInfo> columns,
        IReadOnlyList<int> keys, int position)
    {
        if (properties.KeyFormat == KeyFormat.None && keys.Count > 0)
            throw Error("KEY_FORMAT 'NONE' cannot hold a KEY column", position);
        if (properties.KeyDelimiter is not null && properties.KeyFormat != KeyFormat.Delimited)
            throw new SqlException(SqlState.InvalidParameterValue, "KEY_DELIMITER needs KEY_FORMAT 'DELIMITED'",
                position: position);
        if (properties.KeyFormat == KeyFormat.Kafka && keys.Count > 1)
            throw new SqlException("42P16", $"the KAFKA key format holds one column, not {keys.Count} ("
                + string.Join(", ", keys.Select(k => columns[k].Name)) + ")", position: position,
                hint: "Give KEY_FORMAT = 'JSON' (the key as an object) or 'DELIMITED' (fields split by "
                    + "KEY_DELIMITER).");
        foreach (var key in keys)
        {
            var type = columns[key].Type;
            if (ContainsMap(type))
                throw new SqlException("42P16", $"key column \"{columns[key].Name}\" is of type {type}: map keys, "
                    + "including types that contain maps, are not supported (their serialization is not stable)",
                    position: position);
            if (properties.KeyFormat == KeyFormat.Kafka && !KafkaSerde.Supports(type)
                && properties.ValueFormat != ValueFormat.Binary)
                throw new SqlException("42P16", $"the KAFKA key format cannot hold {type}", position: position,
                    hint: "Give KEY_FORMAT = 'JSON'.");
            if (properties.KeyFormat == KeyFormat.Delimited && type.IsComplex)
                throw Error($"the DELIMITED key format cannot hold {type}", position);
        }
    }

    private static void CheckTypes(IReadOnlyList<ColumnInfo> columns, IReadOnlyList<int> keys,
        IReadOnlyList<HeaderColumn> headers,
        Func<SqlType, bool> supported, string format, int position)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            var column = i;
            if (!keys.Contains(i) && !headers.Any(h => h.Column == column) && !supported(columns[i].Type))
                throw Error($"the {format} format cannot hold column \"{columns[i].Name}\" of type {columns[i].Type}",
                    position);
        }
    }

    /// <summary>JSON objects have text names: a MAP in a JSON key or value needs STRING keys (ksqlDB's rule).</summary>
    private static void CheckJsonMapKeys(StreamProperties properties, IReadOnlyList<ColumnInfo> columns,
        IReadOnlyList<int> keys, IReadOnlyList<HeaderColumn> headers, int position)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            var column = i;
            var isKey = keys.Contains(i);
            if (headers.Any(h => h.Column == column)
                || (isKey ? properties.KeyFormat != KeyFormat.Json : properties.ValueFormat != ValueFormat.Json))
                continue;
            if (HasNonStringMapKey(columns[i].Type))
                throw Error($"column \"{columns[i].Name}\" is of type {columns[i].Type}: JSON only supports MAP types "
                    + "with STRING keys", position);
        }
    }

    private static bool ContainsMap(SqlType type) => type switch
    {
        MapType => true,
        ArrayType array => ContainsMap(array.Element),
        StructType record => record.Fields.Any(f => ContainsMap(f.Type)),
        _ => false,
    };

    private static bool HasNonStringMapKey(SqlType type) => type switch
    {
        MapType map => map.Key.Kind != SqlTypeKind.String || HasNonStringMapKey(map.Value),
        ArrayType array => HasNonStringMapKey(array.Element),
        StructType record => record.Fields.Any(f => HasNonStringMapKey(f.Type)),
        _ => false,
    };

    private static SqlException Error(string message, int position) =>
        new("42P16", message, position: position);
}
