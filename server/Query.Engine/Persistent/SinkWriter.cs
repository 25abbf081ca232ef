using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Statements;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Persistent;

/// <summary>
/// Turns a persistent query's output rows into rows of its sink stream: each sink column takes one output column
/// (a new stream's columns are the query's; INSERT INTO maps by name), the row keeps its source ROWTIME, and the
/// sink's KEY column (PARTITION BY, or the source key when selected) places it in Kafka's partition of the key.
/// </summary>
internal sealed class SinkWriter
{
    private readonly int[] _sources;
    private readonly int _rowTime;
    private readonly Cell[] _row;
    private readonly int _retraction;

    private SinkWriter(int[] sources, int rowTime, int retraction = -1)
    {
        _sources = sources;
        _rowTime = rowTime;
        _retraction = retraction;
        _row = new Cell[sources.Length];
    }

    /// <summary>The sink's TIMESTAMP column (sink column index, -1 without one) and its TIMESTAMP_FORMAT.</summary>
    public (int Column, string? Format) SinkTimestamp { get; init; } = (-1, null);

    /// <summary>
    /// Whether the row's sink TIMESTAMP column gives a row time: ksqlDB drops (and logs) an output row whose
    /// timestamp column is NULL, negative or does not parse with TIMESTAMP_FORMAT.
    /// </summary>
    public bool HasRowTime(Cell[] output)
    {
        if (SinkTimestamp.Column < 0)
            return true;
        var cell = output[_sources[SinkTimestamp.Column]];
        if (cell.IsNull)
            return false;
        if (SinkTimestamp.Format is { } format)
            return RowTimeText.Parse((string)cell.Ref!, format) is >= 0;
        return cell.Bits >= 0;
    }

    /// <summary>A CTAS with HAVING: rows that fail it delete their key from the table, when it shows one.</summary>
    public HavingTombstones? Having { get; init; }

    /// <summary>
    /// Adds one output row to <paramref name="appender"/> as a sink row (a retracted session, or a row that fails
    /// HAVING: a tombstone for its key); false when nothing was written.
    /// </summary>
    public bool Write(RowAppender appender, Cell[] output)
    {
        for (var i = 0; i < _sources.Length; i++)
            _row[i] = output[_sources[i]];
        long? time = _rowTime >= 0 && !output[_rowTime].IsNull ? output[_rowTime].Bits : null;
        if (_retraction >= 0 && output[_retraction] is { IsNull: false, Bits: not 0 })
        {
            appender.AddTombstoneForRow(_row, time);
            return true;
        }
        if (Having is { } having)
            return having.Write(appender, _row, output, time);
        appender.Add(_row, time);
        return true;
    }

    /// <summary>
    /// Adds a record with a null value for <paramref name="output"/>, the row of a source record whose value was
    /// null (ContinuousQueryHooks.NullValueRows): it keeps its source key, or, re-keyed by PARTITION BY, has none
    /// (ksqlDB's output for a null value).
    /// </summary>
    public void WriteNullValue(RowAppender appender, Cell[] output, bool partitioned)
    {
        for (var i = 0; i < _sources.Length; i++)
            _row[i] = partitioned ? Cell.Null : output[_sources[i]];
        long? time = _rowTime >= 0 && !output[_rowTime].IsNull ? output[_rowTime].Bits : null;
        appender.AddNullValueForRow(_row, time);
    }

    /// <summary>The columns and key columns (sink column indexes, in key order) of a new sink stream for
    /// <paramref name="plan"/>, and the output column each sink column takes.</summary>
    public static (List<ColumnInfo> Columns, List<int> Keys, int[] Sources) NewStreamShape(PersistentQueryPlan plan)
    {
        var columns = new List<ColumnInfo>();
        var sources = new List<int>();
        var keys = new List<int>();
        // A PARTITION BY key that the query also selects (same name and type) is that column; any other is a new
        // column in front, in PARTITION BY order.
        var selectedKeys = new Dictionary<int, int>();   // visible column -> the PARTITION BY value it takes
        var keyAt = new List<int>();   // per key: ~sink column of a new column, or the visible column
        foreach (var (index, name) in plan.PartitionKeys)
        {
            var keyType = plan.Column(index).Type;
            var selected = plan.VisibleColumn(name);
            if (selected >= 0 && plan.Column(selected).Type == keyType && selectedKeys.TryAdd(selected, index))
            {
                keyAt.Add(selected);
                continue;
            }
            keyAt.Add(~columns.Count);
            columns.Add(new ColumnInfo(name, keyType));
            sources.Add(index);
        }
        var lead = columns.Count;
        foreach (var at in keyAt)
            keys.Add(at >= 0 ? lead + at : ~at);
        if (plan.PartitionKeys.Count == 0)
            keys.AddRange(SelectedSourceKeys(plan));
        for (var i = 0; i < plan.VisibleColumns; i++)
        {
            var column = plan.Column(i);
            if (ReservedName(column.Name) && !IsSourceWindowColumn(plan, i))
                throw new SqlException("42939", $"column name \"{column.Name}\" is reserved for a pseudo-column",
                    hint: "Give the expression another name with AS.");
            columns.Add(column);
            sources.Add(selectedKeys.TryGetValue(i, out var keyValue) ? keyValue : i);
        }
        if (plan.Window is { } window)
            InsertWindowColumns(plan, window, columns, sources, keys);
        CheckUniqueNames(columns);
        return (columns, keys, [.. sources]);
    }

    /// <summary>
    /// The source's key columns stay the keys when every one is selected plainly, under any alias (ksqlDB), in the
    /// order of the SELECT list; otherwise the new stream has no key.
    /// </summary>
    private static List<int> SelectedSourceKeys(PersistentQueryPlan plan)
    {
        var keys = new List<int>();
        foreach (var sourceKey in plan.Source.Definition.KeyColumns)
        {
            var selected = plan.SelectedSourceColumn(sourceKey);
            if (selected < 0)
                return [];
            keys.Add(selected);
        }
        keys.Sort();
        return keys;
    }

    /// <summary>A windowed table's WINDOWSTART and WINDOWEND: key columns, right after the GROUP BY keys (where
    /// ksqlDB shows them).</summary>
    private static void InsertWindowColumns(PersistentQueryPlan plan, WindowedSinkColumns window,
        List<ColumnInfo> columns, List<int> sources, List<int> keys)
    {
        var at = columns.Count;
        var keyCount = plan.GroupKeyCount;
        if (!plan.IsAggregate)
        {
            // A join of windowed streams: the window follows the sink's key columns (its join key).
            at = 0;
            foreach (var key in keys)
                at = Math.Max(at, key + 1);
            keyCount = 0;
        }
        if (plan.Bound.Root is Planning.Logical.LogicalProject project)
        {
            for (var i = plan.VisibleColumns - 1; i >= 0; i--)
            {
                if (project.Expressions[i] is BoundColumn column && column.Ordinal < keyCount)
                {
                    at = i + 1;
                    break;
                }
            }
        }
        columns.InsertRange(at, [new ColumnInfo(StreamDefinition.WindowStartName, SqlType.BigInt),
            new ColumnInfo(StreamDefinition.WindowEndName, SqlType.BigInt)]);
        sources.InsertRange(at, [window.StartIndex, window.EndIndex]);
    }

    /// <summary>Whether output column <paramref name="index"/> is a windowed source's WINDOWSTART or WINDOWEND as
    /// is (a CSAS over a windowed stream keeps its windowed key).</summary>
    private static bool IsSourceWindowColumn(PersistentQueryPlan plan, int index)
    {
        var source = plan.Source.Definition;
        if (source.Window is null || plan.IsAggregate || plan.Bound.Root is not Planning.Logical.LogicalProject project)
            return false;
        return project.Expressions[index] is BoundColumn column && plan.Column(index).Name == column.Name
            && (column.Ordinal == source.WindowStartColumn || column.Ordinal == source.WindowEndColumn);
    }

    /// <summary>The window of a new sink: the query's WINDOW, or a windowed source's when the sink keeps its
    /// WINDOWSTART and WINDOWEND columns.</summary>
    public static Catalog.TableWindow? SinkWindow(PersistentQueryPlan plan, List<ColumnInfo> columns)
    {
        if (plan.Window is { } window)
            return window.Window;
        var source = plan.Source.Definition.Window;
        var kept = 0;
        foreach (var column in columns)
        {
            if (string.Equals(column.Name, StreamDefinition.WindowStartName, StringComparison.OrdinalIgnoreCase)
                || string.Equals(column.Name, StreamDefinition.WindowEndName, StringComparison.OrdinalIgnoreCase))
                kept++;
        }
        return kept == 2 ? source : null;
    }

    private static bool ReservedName(string name) =>
        Grammar.Ast.PseudoColumns.Classify(name) != Grammar.Ast.PseudoColumn.None;

    private static void CheckUniqueNames(List<ColumnInfo> columns)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!names.Add(column.Name))
                throw new SqlException(SqlState.DuplicateColumn,
                    $"the query's output has two columns named \"{column.Name}\"",
                    hint: "Give one of them another name with AS.");
        }
    }

    /// <summary>A writer for a sink whose columns <see cref="NewStreamShape"/> computed.</summary>
    public static SinkWriter ForNewStream(PersistentQueryPlan plan, StreamRuntime sink) =>
        new(NewStreamShape(plan).Sources, plan.RowTimeIndex, plan.Window?.RetractionIndex ?? -1)
        {
            Having = plan.HavingIndex >= 0 && sink.Table is not null ? new HavingTombstones(sink, plan.HavingIndex)
                : null,
            SinkTimestamp = (sink.Definition.TimestampColumn, sink.Definition.TimestampFormat),
        };

    /// <summary>
    /// A writer into an existing stream (INSERT INTO ... SELECT): every sink column needs an output column of the
    /// same name and type, and every output column a sink column (ksqlDB requires the same schema); PARTITION BY
    /// fills the sink's KEY column.
    /// </summary>
    public static SinkWriter ForExisting(PersistentQueryPlan plan, StreamDefinition sink)
    {
        var sources = new int[sink.Columns.Count];
        var used = new bool[plan.VisibleColumns];
        for (var i = 0; i < sources.Length; i++)
        {
            var column = sink.Columns[i];
            var found = plan.VisibleColumn(column.Name);
            var keyOrder = IndexOf(sink.KeyColumns, i);
            if (keyOrder >= 0 && plan.PartitionKeys.Count == sink.KeyColumns.Count)
            {
                var partitionKey = plan.PartitionKeys[keyOrder].Index;
                if (plan.Column(partitionKey).Type != column.Type)
                    throw Mismatch(sink, $"PARTITION BY gives {plan.Column(partitionKey).Type}, key column "
                        + $"\"{column.Name}\" is {column.Type}");
                sources[i] = partitionKey;
                if (found >= 0)
                    used[found] = true;
                continue;
            }
            if (found < 0)
                throw Mismatch(sink, $"the query has no column \"{column.Name}\"");
            if (plan.Column(found).Type != column.Type)
                throw Mismatch(sink, $"column \"{column.Name}\" is {plan.Column(found).Type} in the query and "
                    + $"{column.Type} in the stream");
            sources[i] = found;
            used[found] = true;
        }
        for (var i = 0; i < used.Length; i++)
        {
            if (!used[i])
                throw Mismatch(sink, $"stream \"{sink.Name}\" has no column \"{plan.Column(i).Name}\"");
        }
        return new SinkWriter(sources, plan.RowTimeIndex)
        {
            SinkTimestamp = (sink.TimestampColumn, sink.TimestampFormat),
        };
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
                return i;
        }
        return -1;
    }

    private static SqlException Mismatch(StreamDefinition sink, string detail) =>
        new(SqlState.DatatypeMismatch, $"the query's result does not match the schema of \"{sink.Name}\": {detail}",
            hint: "INSERT INTO ... SELECT needs the same column names and types as the target stream.");

    /// <summary>
    /// WITH properties of a new sink, with what the statement leaves out taken from the source as ksqlDB does
    /// (partitions, key and value formats).
    /// </summary>
    public static StreamProperties SinkProperties(Ast.EquatableArray<Ast.TableProperty> given, StreamDefinition source)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in given)
            names.Add(property.Name.Value);
        var properties = new List<Ast.TableProperty>(given);
        if (!names.Contains("PARTITIONS"))
            properties.Add(Property("PARTITIONS", new Ast.IntegerLiteral(source.Partitions)));
        if (!names.Contains("FORMAT") && !names.Contains("VALUE_FORMAT"))
            properties.Add(Property("VALUE_FORMAT", new Ast.StringLiteral(source.ValueFormat.ToString())));
        // A DELIMITED value keeps its source's delimiter when the sink keeps its format (ksqlDB does).
        if (!names.Contains("FORMAT") && !names.Contains("VALUE_FORMAT") && !names.Contains("VALUE_DELIMITER")
            && source.ValueFormat == ValueFormat.Delimited && source.ValueDelimiter != ',')
            properties.Add(Property("VALUE_DELIMITER", new Ast.StringLiteral(source.ValueDelimiter.ToString())));
        if (!names.Contains("FORMAT") && !names.Contains("KEY_FORMAT"))
            properties.Add(Property("KEY_FORMAT", new Ast.StringLiteral(source.KeyFormat.ToString())));
        return StreamProperties.Parse(Ast.EquatableArray.From(properties));
    }

    private static Ast.TableProperty Property(string name, Ast.Literal value) =>
        new(Ast.Identifier.Unquoted(name), value);
}
