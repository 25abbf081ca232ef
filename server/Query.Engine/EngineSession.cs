using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Planning;
using Query.Engine.Statements;
using Query.Engine.Types;
using Query.Grammar;
using Ast = Query.Grammar.Ast;

namespace Query.Engine;

/// <summary>
/// One client's session: its properties (<c>SET 'auto.offset.reset' = 'earliest'</c>, PostgreSQL <c>SET x = y</c>)
/// and the entry points to prepare, describe and execute statements. Not thread-safe (one connection, one
/// statement at a time); the engine behind it is shared.
/// </summary>
public sealed partial class EngineSession
{
    private readonly Dictionary<string, string> _properties = new(StringComparer.OrdinalIgnoreCase);

    internal EngineSession(QueryEngine engine) => Engine = engine;

    internal QueryEngine Engine { get; }

    /// <summary>Session properties set with SET (ksqlDB and PostgreSQL forms).</summary>
    public IReadOnlyDictionary<string, string> Properties => _properties;

    internal void SetProperty(string name, string value) => _properties[name] = value;

    internal void UnsetProperty(string name) => _properties.Remove(name);

    internal void ResetProperties() => _properties.Clear();

    internal bool ReplayFromEarliest =>
        _properties.TryGetValue("auto.offset.reset", out var reset)
        && string.Equals(reset, "earliest", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses and describes exactly one statement. Throws SqlSyntaxException / SqlException.</summary>
    public PreparedStatement Prepare(string sql)
    {
        var statements = PrepareCore(sql, deferDescribeErrors: false);
        if (statements.Count != 1)
            throw new SqlException(SqlState.SyntaxError,
                statements.Count == 0 ? "empty statement" : "cannot prepare several statements at once");
        return statements[0];
    }

    /// <summary>
    /// Parses zero or more <c>;</c>-separated statements (the simple query protocol). A statement that cannot be
    /// described yet, such as an INSERT into a stream created earlier in the same batch, is returned with
    /// <see cref="PreparedStatement.IsDescribed"/> false and empty columns; executing it binds it then (and
    /// raises any error then). Use <see cref="StatementResult.Rows"/> for the columns of such a statement.
    /// </summary>
    public IReadOnlyList<PreparedStatement> PrepareBatch(string sql) => PrepareCore(sql, deferDescribeErrors: true);

    private List<PreparedStatement> PrepareCore(string sql, bool deferDescribeErrors)
    {
        var statements = Parse(sql, Engine.Options.MaxStatementDepth);
        var prepared = new List<PreparedStatement>(statements.Length);
        foreach (var statement in statements)
        {
            var text = sql.Substring(statement.Span.Start, Math.Min(statement.Span.Length,
                sql.Length - statement.Span.Start));
            var parameters = new ParameterTypes();
            try
            {
                var columns = Translate(() => Describe(statement, parameters));
                prepared.Add(new PreparedStatement(text, statement, columns, parameters.ToList())
                {
                    ParameterPgTypeOids = parameters.PgTypeOids(),
                });
            }
            catch (SqlException) when (deferDescribeErrors && statements.Length > 1)
            {
                prepared.Add(new PreparedStatement(text, statement, [], []) { IsDescribed = false });
            }
        }
        return prepared;
    }

    private static System.Collections.Immutable.ImmutableArray<Ast.Statement> Parse(string sql, int maxDepth)
    {
        try
        {
            return SqlParser.Parse(sql, maxDepth);
        }
        catch (StatementTooComplexException e)
        {
            throw Limits.DepthGuard.TooComplex(e.Message, e.Offset + 1);
        }
    }

    /// <summary>Prepares and runs one statement without parameters.</summary>
    public ValueTask<StatementResult> ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        ExecuteAsync(Prepare(sql), null, cancellationToken);

    /// <summary>
    /// Runs a prepared statement. <paramref name="parameters"/> holds $1..$n as CLR values or text (parsed as the
    /// parameter's type). Push queries return immediately with a live <see cref="RowReader"/>.
    /// </summary>
    public async ValueTask<StatementResult> ExecuteAsync(PreparedStatement statement,
        IReadOnlyList<object?>? parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (!statement.IsDescribed)
        {
            var types = new ParameterTypes();
            var columns = Translate(() => Describe(statement.Statement, types));
            statement = new PreparedStatement(statement.Sql, statement.Statement, columns, types.ToList())
            {
                ParameterPgTypeOids = types.PgTypeOids(),
            };
        }
        if (statement.ParameterTypes.Count > (parameters?.Count ?? 0))
            throw new SqlException(SqlState.InvalidParameterCount,
                $"statement has {statement.ParameterTypes.Count} parameters but {parameters?.Count ?? 0} values were "
                    + $"supplied");
        try
        {
            return await ExecuteCoreAsync(statement, parameters ?? [], cancellationToken);
        }
        catch (Exception e) when (TranslateException(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// Starts a bulk append (COPY FROM STDIN) into a stream: <paramref name="columns"/> null means every column
    /// in order. Names match exactly, then as unquoted identifiers (upper case). Rows are converted and encoded as
    /// they are added; <see cref="BulkInsert.CommitAsync"/> writes them all, and disposing without commit writes
    /// nothing.
    /// </summary>
    public BulkInsert BeginBulkInsert(string stream, IReadOnlyList<string>? columns = null) =>
        Translate(() => new BulkInsert(
            Engine.TryGetStream(stream, out var exact) ? exact : Engine.GetStream(Ast.Identifier.Fold(stream), null),
            columns));

    private IReadOnlyList<ColumnInfo> Describe(Ast.Statement statement, ParameterTypes parameters) => statement switch
    {
        Ast.QueryStatement query => PlanSelect(query.Query, parameters, null).Columns,
        Ast.InsertValues insert => InsertHandler.Describe(this, insert, parameters),
        Ast.DeleteRows delete => DeleteHandler.Describe(this, delete, parameters),
        Ast.Explain => ShowHandler.PlanColumns,
        _ => ShowHandler.ColumnsOf(statement) ?? [],
    };

    internal Planning.Logical.BoundQuery PlanSelect(Ast.SelectQuery query, ParameterTypes parameters,
        IReadOnlyList<object?>? values)
    {
        var planner = new SelectPlanner(name => Engine.GetStream(SourceName(name), name.Span.Start + 1), parameters,
            values)
        {
            SystemCatalog = CatalogSnapshot,
            Session = new SessionIdentity(User, Database, CatalogSnapshot) { ProcessId = ProcessId },
            Subqueries = new SubquerySettings(Engine.Options.SubqueryMaxRuns, Engine.Options.QueryMemoryBytes,
                Engine.Options.JoinBuildMaxBytes, Engine.Options.RecursionMaxIterations),
        };
        return planner.Plan(query);
    }

    internal static string SourceName(Ast.QualifiedName name)
    {
        if (name.Schema is { } schema && !string.Equals(schema, "PUBLIC", StringComparison.OrdinalIgnoreCase))
            throw SqlException.FeatureNotSupported($"schema \"{schema}\" (only streams in public exist)",
                name.Span.Start + 1);
        return name.Name.Value;
    }

    private static T Translate<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (TranslateException(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Maps runtime exceptions that have a SQL meaning to SqlException; null leaves others alone.</summary>
    internal static SqlException? TranslateException(Exception e) => e switch
    {
        InsufficientExecutionStackException => Limits.DepthGuard.TooComplex(e.Message),
        StatementTooComplexException => Limits.DepthGuard.TooComplex(e.Message),
        OverflowException => new SqlException(SqlState.NumericValueOutOfRange, "value out of range", innerException: e),
        DivideByZeroException => SqlException.DivisionByZero(),
        OperationCanceledException => SqlException.Canceled(),
        Query.Storage.StorageFullException => new SqlException(SqlState.DiskFull, e.Message, innerException: e),
        Query.Storage.CorruptSegmentException => new SqlException(SqlState.DataCorrupted, e.Message, innerException: e),
        Query.Storage.LogDeletedException => new SqlException(SqlState.UndefinedTable, e.Message, innerException: e),
        Query.Storage.LogTruncatedException => new SqlException("40001", e.Message, innerException: e),
        System.Text.RegularExpressions.RegexMatchTimeoutException =>
            new SqlException(SqlState.QueryCanceled, "regular expression took too long", innerException: e),
        ArgumentException when e.Source == "System.Text.RegularExpressions" =>
            new SqlException("2201B", $"invalid regular expression: {e.Message}", innerException: e),
        _ => null,
    };

    internal static Cell[] TextRow(params object?[] values) => BufferedRowReader.Row(values);
}
