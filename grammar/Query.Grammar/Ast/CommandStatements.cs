namespace Query.Grammar.Ast;

public enum ShowKind
{
    Streams,
    Tables,
    Queries,
    Properties,
    Functions,
    Topics,
    Types,
    Variables,

    /// <summary>Archival runs of the cold tier (running and recent).</summary>
    Archivals,
}

/// <summary>
/// <c>SHOW | LIST STREAMS | TABLES | QUERIES | PROPERTIES | FUNCTIONS | [ALL] TOPICS | TYPES | VARIABLES
/// | ARCHIVALS [EXTENDED]</c>. <see cref="All"/> is only for TOPICS.
/// </summary>
public sealed record Show(ShowKind Kind, bool Extended, bool All) : Statement;

/// <summary>
/// PostgreSQL's <c>SHOW name</c> (<c>SHOW server_version</c>, <c>SHOW ALL</c>). <c>SHOW TRANSACTION ISOLATION
/// LEVEL</c> becomes the name TRANSACTION_ISOLATION, as in PostgreSQL.
/// </summary>
public sealed record ShowVariable(QualifiedName Name) : Statement;

/// <summary><c>DESCRIBE [EXTENDED] name</c>.</summary>
public sealed record Describe(QualifiedName Name, bool Extended) : Statement;

/// <summary><c>DESCRIBE FUNCTION name</c>.</summary>
public sealed record DescribeFunction(Identifier Name) : Statement;

/// <summary><c>EXPLAIN statement</c> or <c>EXPLAIN query_id</c>: exactly one of the two is set.</summary>
public sealed record Explain(Statement? Statement, Identifier? QueryId) : Statement;

/// <summary><c>ARCHIVE STREAM name</c>: move the stream's sealed segments to the cold tier now.</summary>
public sealed record ArchiveStream(QualifiedName Name) : Statement;

/// <summary><c>COMPACT STREAM name</c>: merge the stream's small cold files now.</summary>
public sealed record CompactStream(QualifiedName Name) : Statement;

/// <summary><c>TERMINATE query_id</c>, or <c>TERMINATE ALL</c> when <see cref="QueryId"/> is null.</summary>
public sealed record Terminate(Identifier? QueryId) : Statement;

/// <summary><c>PRINT topic [FROM BEGINNING] [INTERVAL n] [LIMIT n]</c>.</summary>
public sealed record Print(Identifier Topic, bool FromBeginning, int? Interval, long? Limit) : Statement;

/// <summary>ksqlDB's <c>SET 'prop' = 'value'</c>.</summary>
public sealed record SetProperty(string Name, string Value) : Statement;

/// <summary>ksqlDB's <c>UNSET 'prop'</c>.</summary>
public sealed record UnsetProperty(string Name) : Statement;

/// <summary>
/// PostgreSQL's <c>SET [SESSION | LOCAL] name { = | TO } value [, ...]</c> and <c>SET TIME ZONE value</c> (name
/// TIMEZONE). Values are literals; a bare word (<c>SET search_path TO public</c>) becomes a
/// <see cref="StringLiteral"/> of its text. Empty <see cref="Values"/> means DEFAULT.
/// </summary>
public sealed record SetVariable(QualifiedName Name, EquatableArray<Literal> Values, bool Local) : Statement;

/// <summary><c>BEGIN</c>, <c>START TRANSACTION</c> (modes such as ISOLATION LEVEL are accepted and ignored).</summary>
public sealed record BeginTransaction : Statement;

/// <summary><c>COMMIT</c> or <c>END</c>.</summary>
public sealed record CommitTransaction : Statement;

/// <summary><c>ROLLBACK</c> or <c>ABORT</c>.</summary>
public sealed record RollbackTransaction : Statement;

public enum DiscardTarget
{
    All,
    Plans,
    Sequences,
    Temporary,
}

/// <summary><c>DISCARD ALL | PLANS | SEQUENCES | TEMP</c> (sent by connection pools).</summary>
public sealed record Discard(DiscardTarget Target) : Statement;
