using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Catalog;

/// <summary>
/// Brings a catalog written by an older version to the current names. Version 1 folded unquoted identifiers to
/// upper case (as ksqlDB); version 2 folds them to lower case (as PostgreSQL). A stored name that reads as an
/// unquoted identifier spelled in upper case (<c>ORDERS</c>, <c>USER_ID</c>) was folded, or was quoted in a
/// spelling that named the same relation as its unquoted form; either way it becomes lower case, so the
/// statements that reached it before (<c>orders</c>, <c>ORDERS</c>) still do. A name with any lower-case letter
/// or a character outside an unquoted identifier was written quoted, and keeps its spelling. The log name of a
/// stream is a file-system name and never changes.
/// </summary>
internal static class CatalogMigration
{
    public const int CurrentVersion = 2;

    /// <summary>The version-2 spelling of a name stored by version 1.</summary>
    public static string FoldedName(string stored)
    {
        if (stored.Length == 0 || !(char.IsAsciiLetterUpper(stored[0]) || stored[0] == '_'))
            return stored;
        foreach (var c in stored)
        {
            if (!(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '_' or '$'))
                return stored;
        }
        return stored.ToLowerInvariant();
    }

    public static StreamDefinition Migrate(StreamDefinition definition)
    {
        var columns = new ColumnInfo[definition.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var column = definition.Columns[i];
            columns[i] = column with { Name = FoldedName(column.Name), Type = Migrate(column.Type) };
        }
        return definition with { Name = FoldedName(definition.Name), Columns = columns };
    }

    private static SqlType Migrate(SqlType type) => type switch
    {
        ArrayType array => new ArrayType(Migrate(array.Element)),
        MapType map => new MapType(Migrate(map.Key), Migrate(map.Value)),
        StructType structure => new StructType(MigrateFields(structure.Fields)),
        _ => type,
    };

    private static EquatableArray<StructField> MigrateFields(EquatableArray<StructField> fields)
    {
        var migrated = new StructField[fields.Count];
        for (var i = 0; i < migrated.Length; i++)
            migrated[i] = new StructField(FoldedName(fields[i].Name), Migrate(fields[i].Type));
        return new EquatableArray<StructField>(migrated);
    }
}
