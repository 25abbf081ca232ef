namespace Query.Engine.Types;

/// <summary>
/// Casts between ARRAY, MAP and STRUCT types, element by element, as ksqlDB coerces a constructor into a declared
/// type: <c>STRUCT(city := 'Oslo', lat := 59.9)</c> (a DECIMAL(3, 1) field) into <c>STRUCT&lt;city STRING, lat
/// DOUBLE&gt;</c>. Struct fields match by name, case-insensitively; a target field the source lacks is NULL, a
/// source field the target lacks makes the cast impossible.
/// </summary>
internal static class ComplexCast
{
    public static bool CanCast(SqlType from, SqlType to, CastContext context) => (from, to) switch
    {
        (ArrayType a, ArrayType b) => ElementCast(a.Element, b.Element, context),
        (MapType a, MapType b) => ElementCast(a.Key, b.Key, context) && ElementCast(a.Value, b.Value, context),
        (StructType a, StructType b) => StructCast(a, b, context),
        _ => false,
    };

    private static bool ElementCast(SqlType from, SqlType to, CastContext context) =>
        from == to || ValueCast.CanCast(from, to, context);

    private static bool StructCast(StructType from, StructType to, CastContext context)
    {
        foreach (var field in from.Fields)
        {
            var index = to.IndexOf(field.Name);
            if (index < 0 || !ElementCast(field.Type, to.Fields[index].Type, context))
                return false;
        }
        return true;
    }

    public static object Convert(object value, SqlType from, SqlType to) => (from, to) switch
    {
        (ArrayType a, ArrayType b) => ConvertArray((SqlArray)value, a.Element, b.Element),
        (MapType a, MapType b) => ConvertMap((SqlMap)value, a, b),
        (StructType a, StructType b) => ConvertStruct((SqlStruct)value, a, b),
        _ => throw Errors.SqlException.DatatypeMismatch($"cannot cast type {from} to {to}"),
    };

    private static SqlArray ConvertArray(SqlArray value, SqlType from, SqlType to)
    {
        var items = new object?[value.Count];
        for (var i = 0; i < items.Length; i++)
            items[i] = ValueCast.Convert(value.Items[i], from, to);
        return new SqlArray(items);
    }

    private static SqlMap ConvertMap(SqlMap value, MapType from, MapType to)
    {
        var keys = new object?[value.Count];
        var values = new object?[value.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = ValueCast.Convert(value.Keys[i], from.Key, to.Key);
            values[i] = ValueCast.Convert(value.Values[i], from.Value, to.Value);
        }
        return new SqlMap(keys, values);
    }

    private static SqlStruct ConvertStruct(SqlStruct value, StructType from, StructType to)
    {
        var fields = new object?[to.Fields.Count];
        for (var i = 0; i < from.Fields.Count && i < value.Fields.Length; i++)
        {
            var index = to.IndexOf(from.Fields[i].Name);
            fields[index] = ValueCast.Convert(value.Fields[i], from.Fields[i].Type, to.Fields[index].Type);
        }
        return new SqlStruct(fields);
    }
}
