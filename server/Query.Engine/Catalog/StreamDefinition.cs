using Query.Engine.Binding;
using Query.Engine.Types;

namespace Query.Engine.Catalog;

public enum ValueFormat
{
    /// <summary>The engine's compact binary row format with an offset table (the default).</summary>
    Binary,

    /// <summary>A JSON object per row, keyed by column name (ksqlDB's JSON format); the key column is in the key.
    /// </summary>
    Json,

    /// <summary>ksqlDB's DELIMITED: the value columns as one line of text fields (CSV quoting).</summary>
    Delimited,

    /// <summary>ksqlDB's KAFKA: one value column, serialized as Kafka's primitive serializers do.</summary>
    Kafka,

    /// <summary>No value columns; the record value is ignored.</summary>
    None,

    /// <summary>ksqlDB's PROTOBUF_NOSR: the value columns as one protobuf message, no schema registry
    /// (<see cref="Format.ProtobufFormat"/>).</summary>
    ProtobufNoSr,
}

/// <summary>What a source is: a stream (every record is an event) or a table (its log is a changelog).</summary>
public enum RelationKind
{
    Stream,

    /// <summary>A table: latest value per PRIMARY KEY; a record with a null value (a tombstone) deletes the key.
    /// </summary>
    Table,
}

/// <summary>
/// A column read from the record's headers: <see cref="Key"/> null is <c>HEADERS</c> (every header, as
/// ARRAY&lt;STRUCT&lt;KEY STRING, VALUE BYTES&gt;&gt;), else <c>HEADER('key')</c> (the last header with that key,
/// BYTES).
/// </summary>
public sealed record HeaderColumn(int Column, string? Key);

/// <summary>How a record's key holds the KEY column (ksqlDB's KEY_FORMAT).</summary>
public enum KeyFormat
{
    /// <summary>Kafka's primitive serializers (INT 4 bytes big-endian, STRING UTF-8, ...).</summary>
    Kafka,

    /// <summary>The key column's value as JSON text (a single key column is not wrapped in an object).</summary>
    Json,

    /// <summary>The key column's value as a DELIMITED text field.</summary>
    Delimited,

    /// <summary>No key columns.</summary>
    None,
}

/// <summary>
/// A stream's schema and settings, as persisted in the catalog. <see cref="KeyColumn"/> is the index of the first
/// KEY column (-1 without a key), <see cref="KeyColumns"/> all of them in key order; <see cref="TimestampColumn"/>
/// the column that supplies ROWTIME (-1: append time).
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
    /// <summary>Stream or table (a table's <see cref="KeyColumn"/> is its PRIMARY KEY).</summary>
    public RelationKind Kind { get; init; } = RelationKind.Stream;

    public bool IsTable => Kind == RelationKind.Table;

    public KeyFormat KeyFormat { get; init; } = KeyFormat.Kafka;

    private readonly int[]? _keyColumns;

    /// <summary>
    /// Every key column, in key order: the order of declaration (ksqlDB's), of GROUP BY for a CTAS, of the SELECT
    /// list for a CSAS. The first is <see cref="KeyColumn"/>; several need a key format that holds several
    /// columns (JSON, DELIMITED; see <see cref="Format.KeyCodec"/>).
    /// </summary>
    public IReadOnlyList<int> KeyColumns
    {
        get => KeyColumn < 0 ? [] : _keyColumns ?? [KeyColumn];
        init => _keyColumns = value.Count > 1 ? [.. value] : null;
    }

    /// <summary>Whether column <paramref name="column"/> is one of the key columns.</summary>
    public bool IsKeyColumn(int column)
    {
        if (column < 0 || KeyColumn < 0)
            return false;
        if (_keyColumns is null)
            return column == KeyColumn;
        return Array.IndexOf(_keyColumns, column) >= 0;
    }

    /// <summary>KEY_DELIMITER of a DELIMITED key of several columns (default a comma).</summary>
    public char KeyDelimiter { get; init; } = ',';

    /// <summary>VALUE_DELIMITER of a DELIMITED value (default a comma).</summary>
    public char ValueDelimiter { get; init; } = ',';

    /// <summary>WRAP_SINGLE_VALUE: a JSON value of one column is an object (true) or the bare value (false).</summary>
    public bool WrapSingleValue { get; init; } = true;

    /// <summary>TIMESTAMP_FORMAT: the Java pattern of a STRING TIMESTAMP column (null: BIGINT or TIMESTAMP).</summary>
    public string? TimestampFormat { get; init; }

    /// <summary>TIERED and LOCAL_RETENTION_* as given (null: the server's default).</summary>
    public Tiering.StreamTiering Tiering { get; init; } = Engine.Tiering.StreamTiering.Unset;

    /// <summary>RETENTION_BYTES per partition over both tiers (-1: no limit).</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary>The columns read from the record's headers (ksqlDB's HEADERS and HEADER('key') columns).</summary>
    public IReadOnlyList<HeaderColumn> Headers { get; init; } = [];

    /// <summary>
    /// A windowed table's or stream's window (ksqlDB's WINDOW_TYPE / WINDOW_SIZE; a CTAS with WINDOW): its record
    /// keys carry the window after the key (<see cref="Windows.WindowedKey"/>) and its WINDOWSTART / WINDOWEND
    /// columns come from there. Null: not windowed.
    /// </summary>
    public TableWindow? Window { get; init; }

    /// <summary>
    /// How long a windowed table's state keeps a window (a CTAS's WINDOW ... RETENTION, by default its size plus
    /// grace): the table's materialized state drops windows past it, as ksqlDB's window store does. Null: every
    /// window is kept (a windowed source's table, whose retention is unknown).
    /// </summary>
    public long? WindowRetentionMs { get; init; }

    /// <summary>The WINDOWSTART column of a windowed source, or -1.</summary>
    public int WindowStartColumn => Window is null ? -1 : WindowColumn(WindowStartName);

    /// <summary>The WINDOWEND column of a windowed source, or -1.</summary>
    public int WindowEndColumn => Window is null ? -1 : WindowColumn(WindowEndName);

    private int WindowColumn(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    /// <summary>
    /// The order <c>SELECT *</c> lists a windowed source's columns in, as ksqlDB does: the key columns, WINDOWSTART,
    /// WINDOWEND, then the value columns (each group in declaration order). Null: declaration order (not windowed).
    /// </summary>
    public int[]? StarOrder()
    {
        if (Window is null || KeyColumn < 0)
            return null;
        var order = new List<int>(Columns.Count);
        for (var i = 0; i < Columns.Count; i++)
        {
            if (IsKeyColumn(i))
                order.Add(i);
        }
        if (WindowStartColumn >= 0 && WindowEndColumn >= 0)
            order.AddRange([WindowStartColumn, WindowEndColumn]);
        for (var i = 0; i < Columns.Count; i++)
        {
            if (!order.Contains(i))
                order.Add(i);
        }
        return [.. order];
    }

    public const string WindowStartName = "windowstart";

    public const string WindowEndName = "windowend";

    /// <summary>Whether column <paramref name="column"/> is read from the record's headers.</summary>
    public bool IsHeaderColumn(int column)
    {
        foreach (var header in Headers)
        {
            if (header.Column == column)
                return true;
        }
        return false;
    }

    /// <summary>Whether rows are stored in a format other tools read (key columns live in the record key).</summary>
    public bool IsExternalFormat => ValueFormat != ValueFormat.Binary;

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
