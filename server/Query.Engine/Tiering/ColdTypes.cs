using Query.Engine.Errors;
using Query.Engine.Types;
using Query.Tiering.Layout;

namespace Query.Engine.Tiering;

/// <summary>SQL types and values as tiering's cold types and values (tiering never sees SQL types).</summary>
internal static class ColdTypes
{
    /// <summary>
    /// 0A000 for a column the cold tier cannot hold: a DECIMAL above 28 digits (the Parquet writer's DECIMAL is
    /// System.Decimal), also inside an ARRAY, MAP or STRUCT.
    /// </summary>
    public static void CheckTierable(Catalog.StreamDefinition definition)
    {
        foreach (var column in definition.Columns)
        {
            if (HasWideDecimal(column.Type))
                throw SqlException.FeatureNotSupported($"TIERED streams with a DECIMAL of more than "
                    + $"{DecimalType.MaxPrecision} digits (column \"{column.Name}\" is {column.Type}): the cold tier "
                    + "writes DECIMAL as Parquet's 28-digit decimal; use DECIMAL(28, s) or DOUBLE, or keep the stream "
                    + "untiered");
        }
    }

    public static bool HasWideDecimal(SqlType type) => type switch
    {
        DecimalType d => d.IsWide,
        ArrayType a => HasWideDecimal(a.Element),
        MapType m => HasWideDecimal(m.Key) || HasWideDecimal(m.Value),
        StructType s => s.Fields.Any(f => HasWideDecimal(f.Type)),
        _ => false,
    };

    public static ColdType From(SqlType type) => type switch
    {
        DecimalType d => new ColdDecimalType(d.Precision, d.Scale),
        ArrayType a => new ColdListType(From(a.Element)),
        MapType m => new ColdMapType(From(m.Key), From(m.Value)),
        StructType s => new ColdStructType([.. s.Fields.Select(f => new ColdColumn(f.Name, From(f.Type)))]),
        _ => type.Kind switch
        {
            SqlTypeKind.Boolean => ColdType.Boolean,
            SqlTypeKind.Int => ColdType.Int32,
            SqlTypeKind.BigInt => ColdType.Int64,
            SqlTypeKind.Double => ColdType.Double,
            SqlTypeKind.String => ColdType.String,
            SqlTypeKind.Bytes => ColdType.Bytes,
            SqlTypeKind.Timestamp => ColdType.Timestamp,
            SqlTypeKind.Date => ColdType.Date,
            SqlTypeKind.Time => ColdType.Time,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "a column cannot have this type"),
        },
    };

    /// <summary>An engine value (as <see cref="Cell.ToObject"/> boxes it) as a cold value.</summary>
    public static ColdValue ToCold(object? value, SqlType type)
    {
        if (value is null)
            return ColdValue.Null;
        switch (type)
        {
            case ArrayType a:
                var items = ((SqlArray)value).Items;
                var list = new ColdValue[items.Length];
                for (var i = 0; i < list.Length; i++)
                    list[i] = ToCold(items[i], a.Element);
                return ColdValue.FromRef(list);
            case MapType m:
                var map = (SqlMap)value;
                var entries = new KeyValuePair<ColdValue, ColdValue>[map.Count];
                for (var i = 0; i < entries.Length; i++)
                    entries[i] = new(ToCold(map.Keys[i], m.Key), ToCold(map.Values[i], m.Value));
                return ColdValue.FromRef(entries);
            case StructType s:
                var fields = ((SqlStruct)value).Fields;
                var cold = new ColdValue[s.Fields.Count];
                for (var i = 0; i < cold.Length; i++)
                    cold[i] = i < fields.Length ? ToCold(fields[i], s.Fields[i].Type) : ColdValue.Null;
                return ColdValue.FromRef(cold);
        }
        var cell = Cell.FromObject(value, type);
        return new ColdValue { Bits = cell.Bits, Decimal = cell.Decimal, Ref = cell.Ref };
    }

    /// <summary>A cold value as the engine's boxed value of <paramref name="type"/>.</summary>
    public static object? ToObject(in ColdValue value, SqlType type)
    {
        if (value.IsNull)
            return null;
        switch (type)
        {
            case ArrayType a:
                var list = (IReadOnlyList<ColdValue>)value.Ref!;
                var items = new object?[list.Count];
                for (var i = 0; i < items.Length; i++)
                    items[i] = ToObject(list[i], a.Element);
                return new SqlArray(items);
            case MapType m:
                var entries = (IReadOnlyList<KeyValuePair<ColdValue, ColdValue>>)value.Ref!;
                var keys = new object?[entries.Count];
                var values = new object?[entries.Count];
                for (var i = 0; i < keys.Length; i++)
                {
                    keys[i] = ToObject(entries[i].Key, m.Key);
                    values[i] = ToObject(entries[i].Value, m.Value);
                }
                return new SqlMap(keys, values);
            case StructType s:
                var cold = (ColdValue[])value.Ref!;
                var fields = new object?[s.Fields.Count];
                for (var i = 0; i < fields.Length; i++)
                    fields[i] = ToObject(cold[i], s.Fields[i].Type);
                return new SqlStruct(fields);
        }
        return new Cell { Bits = value.Bits, Decimal = value.Decimal, Ref = value.Ref }.ToObject(type);
    }
}
