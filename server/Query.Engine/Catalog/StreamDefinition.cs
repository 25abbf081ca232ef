using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Catalog;

public enum ValueFormat
{
    /// <summary>The engine's compact binary row format with an offset table (the default).</summary>
    Binary,

    /// <summary>A JSON object per row, keyed by column name (ksqlDB's JSON format).</summary>
    Json,
}

/// <summary>
/// A stream's schema and settings, as persisted in the catalog. <see cref="KeyColumn"/> is the index of the KEY
/// column (-1 without a key); <see cref="TimestampColumn"/> the column that supplies ROWTIME (-1: append time).
/// </summary>
public sealed record StreamDefinition(
    string Name,
    IReadOnlyList<ColumnInfo> Columns,
    int KeyColumn,
    int TimestampColumn,
    ValueFormat ValueFormat,
    string LogName,
    int Partitions,
    long RetentionMs,
    long CreatedAtMs)
{
    public SqlType[] ColumnTypes()
    {
        var types = new SqlType[Columns.Count];
        for (var i = 0; i < types.Length; i++)
            types[i] = Columns[i].Type;
        return types;
    }

    public string[] ColumnNames()
    {
        var names = new string[Columns.Count];
        for (var i = 0; i < names.Length; i++)
            names[i] = Columns[i].Name;
        return names;
    }

    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == name)
                return i;
        }
        return -1;
    }
}
