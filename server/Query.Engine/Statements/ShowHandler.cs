using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Functions;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// SHOW STREAMS | TABLES | TOPICS | FUNCTIONS | PROPERTIES | QUERIES, DESCRIBE, DESCRIBE FUNCTION, SHOW var.
/// </summary>
internal static partial class ShowHandler
{
    public static readonly IReadOnlyList<ColumnInfo> PlanColumns = [new("QUERY PLAN", SqlType.String)];

    private static readonly IReadOnlyList<ColumnInfo> StreamColumns =
    [
        new("STREAM_NAME", SqlType.String), new("KAFKA_TOPIC", SqlType.String), new("KEY_FORMAT", SqlType.String),
        new("VALUE_FORMAT", SqlType.String), new("PARTITIONS", SqlType.Int),
    ];

    private static readonly IReadOnlyList<ColumnInfo> TableColumns =
    [
        new("TABLE_NAME", SqlType.String), new("KAFKA_TOPIC", SqlType.String), new("KEY_FORMAT", SqlType.String),
        new("VALUE_FORMAT", SqlType.String),
    ];

    private static readonly IReadOnlyList<ColumnInfo> TopicColumns =
        [new("TOPIC_NAME", SqlType.String), new("PARTITIONS", SqlType.Int)];

    private static readonly IReadOnlyList<ColumnInfo> FunctionColumns =
        [new("NAME", SqlType.String), new("TYPE", SqlType.String), new("CATEGORY", SqlType.String)];

    private static readonly IReadOnlyList<ColumnInfo> PropertyColumns =
        [new("PROPERTY", SqlType.String), new("VALUE", SqlType.String)];

    private static readonly IReadOnlyList<ColumnInfo> DescribeColumns =
        [new("FIELD", SqlType.String), new("TYPE", SqlType.String), new("DETAIL", SqlType.String)];

    private static readonly IReadOnlyList<ColumnInfo> FunctionDetailColumns =
    [
        new("NAME", SqlType.String), new("SIGNATURE", SqlType.String), new("DESCRIPTION", SqlType.String),
        new("CATEGORY", SqlType.String),
    ];

    /// <summary>The result columns of a SHOW-like statement; null for anything else.</summary>
    public static IReadOnlyList<ColumnInfo>? ColumnsOf(Ast.Statement statement) => statement switch
    {
        Ast.Show { Kind: Ast.ShowKind.Streams } => StreamColumns,
        Ast.Show { Kind: Ast.ShowKind.Tables } => TableColumns,
        Ast.Show { Kind: Ast.ShowKind.Topics } => TopicColumns,
        Ast.Show { Kind: Ast.ShowKind.Functions } => FunctionColumns,
        Ast.Show { Kind: Ast.ShowKind.Properties or Ast.ShowKind.Variables } => PropertyColumns,
        Ast.Show { Kind: Ast.ShowKind.Queries } show => PersistentQueryHandler.ShowColumns(show.Extended),
        Ast.Show { Kind: Ast.ShowKind.Types } => PropertyColumns,
        Ast.Show { Kind: Ast.ShowKind.Archivals } => TieringHandler.RunColumns,
        Ast.ArchiveStream => TieringHandler.ArchiveColumns,
        Ast.CompactStream => TieringHandler.CompactColumns,
        Ast.Describe => DescribeColumns,
        Ast.DescribeFunction => FunctionDetailColumns,
        Ast.ShowVariable show => VariableColumns(show),
        _ => null,
    };

    public static StatementResult Execute(EngineSession session, Ast.Statement statement)
    {
        if (statement is Ast.Show { Kind: Ast.ShowKind.Archivals })
            return TieringHandler.ShowRuns(session);
        var rows = statement switch
        {
            Ast.Show { Kind: Ast.ShowKind.Streams } => Streams(session),
            Ast.Show { Kind: Ast.ShowKind.Tables } => Tables(session),
            Ast.Show { Kind: Ast.ShowKind.Types } => [],
            Ast.Show { Kind: Ast.ShowKind.Topics } => Topics(session),
            Ast.Show { Kind: Ast.ShowKind.Functions } => Functions(),
            Ast.Show { Kind: Ast.ShowKind.Properties or Ast.ShowKind.Variables } => Properties(session),
            Ast.Describe describe => Describe(session, describe),
            Ast.DescribeFunction function => DescribeFunction(function),
            Ast.ShowVariable show => ShowVariable(session, show),
            _ => throw SqlException.FeatureNotSupported(statement.GetType().Name, statement.Span.Start + 1),
        };
        return StatementResult.Query(new BufferedRowReader(ColumnsOf(statement)!, rows));
    }

    private static List<Cell[]> Streams(EngineSession session)
    {
        var rows = new List<Cell[]>();
        foreach (var stream in session.Engine.ListStreams())
        {
            if (stream.IsTable)
                continue;
            rows.Add(EngineSession.TextRow(stream.Name, stream.LogName, stream.KeyFormat.ToString().ToUpperInvariant(),
                Format(stream), stream.Partitions));
        }
        return rows;
    }

    private static List<Cell[]> Tables(EngineSession session)
    {
        var rows = new List<Cell[]>();
        foreach (var table in session.Engine.ListStreams())
        {
            if (table.IsTable)
                rows.Add(EngineSession.TextRow(table.Name, table.LogName,
                    table.KeyFormat.ToString().ToUpperInvariant(), Format(table)));
        }
        return rows;
    }

    private static string Format(Catalog.StreamDefinition stream) =>
        stream.ValueFormat == Catalog.ValueFormat.ProtobufNoSr ? "PROTOBUF_NOSR"
            : stream.ValueFormat.ToString().ToUpperInvariant();

    private static List<Cell[]> Topics(EngineSession session)
    {
        var rows = new List<Cell[]>();
        foreach (var name in session.Engine.Logs.LogNames)
        {
            if (session.Engine.Logs.TryGetLog(name, out var log))
                rows.Add(EngineSession.TextRow(name, log.PartitionCount));
        }
        return rows;
    }

    private static List<Cell[]> Functions()
    {
        var rows = new List<Cell[]>();
        foreach (var function in FunctionRegistry.All)
            rows.Add(EngineSession.TextRow(function.Name, "SCALAR", function.Category));
        foreach (var (name, _, _) in AggregateFunctions.Catalog)
            rows.Add(EngineSession.TextRow(name, "AGGREGATE", "AGGREGATE"));
        foreach (var (name, _, _) in TableFunctions.Catalog)
            rows.Add(EngineSession.TextRow(name, "TABLE", "TABLE"));
        rows.Sort((a, b) => string.CompareOrdinal((string)a[0].Ref!, (string)b[0].Ref!));
        return rows;
    }

    private static List<Cell[]> Properties(EngineSession session)
    {
        var rows = new List<Cell[]>();
        foreach (var (name, value) in session.Properties)
            rows.Add(EngineSession.TextRow(name, value));
        if (!session.Properties.ContainsKey("auto.offset.reset"))
            rows.Add(EngineSession.TextRow("auto.offset.reset", "latest"));
        rows.Sort((a, b) => string.CompareOrdinal((string)a[0].Ref!, (string)b[0].Ref!));
        return rows;
    }

    private static List<Cell[]> DescribeFunction(Ast.DescribeFunction describe)
    {
        var name = describe.Name.Value.ToUpperInvariant();
        var rows = new List<Cell[]>();
        if (FunctionRegistry.TryGet(name, out var function))
        {
            foreach (var signature in function.Signatures)
                rows.Add(EngineSession.TextRow(function.Name, signature, function.Description, function.Category));
        }
        foreach (var (aggregate, signature, description) in AggregateFunctions.Catalog)
        {
            if (aggregate == name)
                rows.Add(EngineSession.TextRow(aggregate, signature, description, "AGGREGATE"));
        }
        foreach (var (table, signature, description) in TableFunctions.Catalog)
        {
            if (table == name)
                rows.Add(EngineSession.TextRow(table, signature, description, "TABLE"));
        }
        if (rows.Count == 0)
            throw new SqlException(SqlState.UndefinedFunction, $"function {describe.Name.Text} does not exist",
                position: describe.Name.Span.Start + 1);
        return rows;
    }
}
