using Parquet.Schema;
using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// The Parquet schema of a stream's cold files: <c>rowtime</c> TIMESTAMP(MILLIS, UTC), <c>rowoffset</c> INT64,
/// <c>rowpartition</c> INT32 (all required), <c>rowkey</c> BINARY (the record key's bytes), the stream's
/// columns, <c>headers</c> LIST&lt;STRUCT&lt;key STRING, value BINARY&gt;&gt; (ordered, duplicates kept) and
/// <c>rowvalue</c> BINARY, which holds a row's value bytes only when the layout cannot re-encode them
/// exactly. Names are lower-case; a stream column may not reuse a system name or a folder key.
/// </summary>
internal sealed class ColdFileSchema
{
    public const string RowTime = "rowtime";
    public const string RowOffset = "rowoffset";
    public const string RowPartition = "rowpartition";
    public const string RowKey = "rowkey";
    public const string Headers = "headers";
    public const string RowValue = "rowvalue";

    /// <summary>Names that stream columns cannot take: the system columns and the Hive folder keys.</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal)
        { RowTime, RowOffset, RowPartition, RowKey, Headers, RowValue, ColdPaths.PartitionKey, ColdPaths.DateKey };

    private static readonly ColdType HeadersType = new ColdListType(new ColdStructType(
        [new ColdColumn("key", ColdType.String), new ColdColumn("value", ColdType.Bytes)]));

    private ColdFileSchema(ParquetSchema schema, ColdNode[] columns, int userColumnCount)
    {
        Schema = schema;
        var fields = schema.Fields;
        RowTimeField = (DateTimeDataField)fields[0];
        RowOffsetField = (DataField)fields[1];
        RowPartitionField = (DataField)fields[2];
        Columns = columns;
        UserColumnCount = userColumnCount;
    }

    public ParquetSchema Schema { get; }
    public DateTimeDataField RowTimeField { get; }
    public DataField RowOffsetField { get; }
    public DataField RowPartitionField { get; }

    /// <summary>rowkey, the stream's columns, headers, rowvalue.</summary>
    public ColdNode[] Columns { get; }

    public int UserColumnCount { get; }
    public int HeadersColumn => UserColumnCount + 1;
    public int RowValueColumn => UserColumnCount + 2;

    /// <summary>Node index of stream column <paramref name="column"/>.</summary>
    public static int UserColumnNode(int column) => column + 1;

    public static void ValidateNames(IReadOnlyList<ColdColumn> columns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var name = column.Name.ToLowerInvariant();
            if (ReservedNames.Contains(name))
                throw new TieringSchemaException(
                    $"column \"{column.Name}\" cannot be archived: \"{name}\" is a system column or folder key of " +
                    "the cold files");
            if (!seen.Add(name))
                throw new TieringSchemaException(
                    $"columns \"{column.Name}\" and another differ only in case; cold files use lower-case names");
        }
    }

    public static ColdFileSchema Create(IReadOnlyList<ColdColumn> userColumns)
    {
        ValidateNames(userColumns);
        var all = new List<ColdColumn>(userColumns.Count + 3) { new(RowKey, ColdType.Bytes) };
        all.AddRange(userColumns);
        all.Add(new ColdColumn(Headers, HeadersType));
        all.Add(new ColdColumn(RowValue, ColdType.Bytes));
        var fields = new List<Field>
        {
            ColdFields.TimestampField(RowTime, nullable: false),
            new DataField<long>(RowOffset, false),
            new DataField<int>(RowPartition, false),
        };
        foreach (var column in all)
            fields.Add(ColdFields.Create(column.Name, column.Type));
        var schema = new ParquetSchema(fields);
        var fieldId = 1;
        foreach (var leaf in schema.GetDataFields())
            leaf.FieldId = fieldId++;          // Iceberg-style ids, stable per schema
        var nodes = new ColdNode[all.Count];
        for (var i = 0; i < nodes.Length; i++)
            nodes[i] = CreateNode(all[i].Type, schema.Fields[i + 3], 0, 0, nullable: true);
        return new ColdFileSchema(schema, nodes, userColumns.Count);
    }

    // Walks the cold type beside the Parquet field it became and checks our level arithmetic against the
    // library's own, so a disagreement fails when the schema is built rather than as unreadable files.
    private static ColdNode CreateNode(ColdType type, Field field, int parentDefinition, int repetition,
        bool nullable)
    {
        var present = parentDefinition + (nullable ? 1 : 0);
        switch (type)
        {
            case ColdListType list:
                var item = CreateNode(list.Element, ((ListField)field).Item, present + 1, repetition + 1, true);
                return new RepeatedNode(ColdTypeKind.List, [item], present, repetition + 1);
            case ColdMapType map:
                var mapField = (MapField)field;
                var key = CreateNode(map.Key, mapField.Key, present + 1, repetition + 1, false);
                var value = CreateNode(map.Value, mapField.Value, present + 1, repetition + 1, true);
                return new RepeatedNode(ColdTypeKind.Map, [key, value], present, repetition + 1);
            case ColdStructType structType:
                var structField = (StructField)field;
                var children = new ColdNode[structType.Fields.Count];
                for (var i = 0; i < children.Length; i++)
                {
                    children[i] = CreateNode(structType.Fields[i].Type, structField.Fields[i], present, repetition,
                        true);
                }
                return new StructNode(children, present);
            default:
                var dataField = (DataField)field;
                if (dataField.MaxDefinitionLevel != present || dataField.MaxRepetitionLevel != repetition)
                    throw new InvalidOperationException(
                        $"Parquet levels of {dataField.Path} are ({dataField.MaxDefinitionLevel}, " +
                        $"{dataField.MaxRepetitionLevel}), expected ({present}, {repetition})");
                return new LeafNode(ColdFields.CreateLeaf(type, dataField, present), present);
        }
    }
}
