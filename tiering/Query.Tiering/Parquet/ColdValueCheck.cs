using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>Whether a value can be written as its cold type (TIMESTAMPs beyond years 1-9999 cannot).</summary>
internal static class ColdValueCheck
{
    public static bool Fits(ColdType type, in ColdValue value)
    {
        if (value.IsNull)
            return true;
        switch (type)
        {
            case { Kind: ColdTypeKind.Timestamp }:
                return ColdFields.FitsTimestamp(value.Bits);
            case ColdListType list when Contains(list.Element, ColdTypeKind.Timestamp):
                foreach (var item in (IReadOnlyList<ColdValue>)value.Ref!)
                {
                    if (!Fits(list.Element, item))
                        return false;
                }
                return true;
            case ColdMapType map when Contains(map, ColdTypeKind.Timestamp):
                foreach (var entry in (IReadOnlyList<KeyValuePair<ColdValue, ColdValue>>)value.Ref!)
                {
                    if (!Fits(map.Key, entry.Key) || !Fits(map.Value, entry.Value))
                        return false;
                }
                return true;
            case ColdStructType structType when Contains(structType, ColdTypeKind.Timestamp):
                var fields = (ColdValue[])value.Ref!;
                for (var i = 0; i < fields.Length; i++)
                {
                    if (!Fits(structType.Fields[i].Type, fields[i]))
                        return false;
                }
                return true;
            default:
                return true;
        }
    }

    /// <summary>Whether every value of <paramref name="type"/> fits, so <see cref="Fits"/> need not be asked.</summary>
    public static bool AlwaysFits(ColdType type) => !Contains(type, ColdTypeKind.Timestamp);

    private static bool Contains(ColdType type, ColdTypeKind kind) => type switch
    {
        ColdListType list => Contains(list.Element, kind),
        ColdMapType map => Contains(map.Key, kind) || Contains(map.Value, kind),
        ColdStructType structType => structType.Fields.Any(f => Contains(f.Type, kind)),
        _ => type.Kind == kind,
    };
}
