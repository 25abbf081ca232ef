namespace Query.Grammar.Ast;

/// <summary>Base of every statement. <see cref="SyntaxNode.Span"/> covers the statement without its <c>;</c>.</summary>
public abstract record Statement : SyntaxNode;

/// <summary>A SELECT (pull query, or push query with EMIT CHANGES).</summary>
public sealed record QueryStatement(SelectQuery Query) : Statement;

public enum SourceKind
{
    Stream,
    Table,
}

/// <summary>What a column is besides its value: part of the key, or a record header.</summary>
public enum ColumnRole
{
    Value,
    /// <summary><c>KEY</c> (streams).</summary>
    Key,
    /// <summary><c>PRIMARY KEY</c> (tables).</summary>
    PrimaryKey,
    /// <summary><c>HEADERS</c>: all headers as ARRAY&lt;STRUCT&lt;KEY STRING, VALUE BYTES&gt;&gt;.</summary>
    Headers,
    /// <summary><c>HEADER('k')</c>: one header's value.</summary>
    Header,
}

/// <summary><c>name type [KEY | PRIMARY KEY | HEADERS | HEADER('k')]</c>.</summary>
public sealed record ColumnDefinition(Identifier Name, SqlTypeSyntax Type, ColumnRole Role, string? HeaderKey)
    : SyntaxNode;

/// <summary>
/// <c>name = literal</c> in a WITH (...) list. Quoted names (<c>'kafka_topic' = ...</c>) keep their case.
/// </summary>
public sealed record TableProperty(Identifier Name, Literal Value) : SyntaxNode;

/// <summary><c>CREATE [OR REPLACE] [SOURCE] STREAM [IF NOT EXISTS] name (columns) WITH (...)</c>.</summary>
public sealed record CreateStream(
    QualifiedName Name,
    EquatableArray<ColumnDefinition> Columns,
    EquatableArray<TableProperty> Properties,
    bool OrReplace,
    bool IfNotExists,
    bool IsSource) : Statement
{
    /// <summary>A trailing <c>PRIMARY KEY (a, b)</c> constraint's columns, in key order (empty: none).</summary>
    public EquatableArray<Identifier> PrimaryKey { get; init; }
}

/// <summary><c>CREATE [OR REPLACE] [SOURCE] TABLE [IF NOT EXISTS] name (columns [, PRIMARY KEY (a, b)]) WITH (...)
/// </c>.</summary>
public sealed record CreateTable(
    QualifiedName Name,
    EquatableArray<ColumnDefinition> Columns,
    EquatableArray<TableProperty> Properties,
    bool OrReplace,
    bool IfNotExists,
    bool IsSource) : Statement
{
    /// <summary>A trailing <c>PRIMARY KEY (a, b)</c> constraint's columns, in key order (empty: none).</summary>
    public EquatableArray<Identifier> PrimaryKey { get; init; }
}

/// <summary><c>CREATE [OR REPLACE] STREAM [IF NOT EXISTS] name [WITH (...)] AS SELECT ...</c>.</summary>
public sealed record CreateStreamAsSelect(
    QualifiedName Name,
    EquatableArray<TableProperty> Properties,
    SelectQuery Query,
    bool OrReplace,
    bool IfNotExists) : Statement;

/// <summary><c>CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [WITH (...)] AS SELECT ...</c>.</summary>
public sealed record CreateTableAsSelect(
    QualifiedName Name,
    EquatableArray<TableProperty> Properties,
    SelectQuery Query,
    bool OrReplace,
    bool IfNotExists) : Statement;

/// <summary><c>CREATE TYPE [IF NOT EXISTS] name AS type</c>.</summary>
public sealed record CreateType(Identifier Name, SqlTypeSyntax Type, bool IfNotExists) : Statement;

/// <summary><c>INSERT INTO name [WITH (...)] SELECT ...</c>.</summary>
public sealed record InsertInto(QualifiedName Target, EquatableArray<TableProperty> Properties, SelectQuery Query)
    : Statement;

/// <summary><c>INSERT INTO name [(columns)] VALUES (...), (...) [ON CONFLICT ...]</c>.</summary>
public sealed record InsertValues(
    QualifiedName Target, EquatableArray<Identifier> Columns, EquatableArray<ValuesRow> Rows,
    OnConflict? Conflict = null) : Statement;

/// <summary>
/// PostgreSQL's <c>ON CONFLICT [(columns) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET c = e, ... [WHERE e]</c>
/// (<see cref="Assignments"/> empty for DO NOTHING).
/// </summary>
public sealed record OnConflict(
    EquatableArray<Identifier> Target, Identifier? Constraint, bool DoUpdate, EquatableArray<Assignment> Assignments,
    Expr? Where) : SyntaxNode;

/// <summary><c>column = expression</c> of <c>DO UPDATE SET</c>.</summary>
public sealed record Assignment(Identifier Column, Expr Value) : SyntaxNode;

/// <summary><c>DELETE FROM name [WHERE expression]</c> (PostgreSQL's; ksqlDB has none).</summary>
public sealed record DeleteRows(QualifiedName Target, Expr? Where) : Statement;

public sealed record ValuesRow(EquatableArray<Expr> Values) : SyntaxNode;

/// <summary><c>ALTER STREAM | TABLE name ADD [COLUMN] c type, ...</c>.</summary>
public sealed record AlterSourceAddColumns(
    SourceKind Kind, QualifiedName Name, EquatableArray<ColumnDefinition> Columns) : Statement;

/// <summary><c>ALTER STREAM | TABLE name SET (prop = value, ...)</c>.</summary>
public sealed record AlterSourceSetProperties(
    SourceKind Kind, QualifiedName Name, EquatableArray<TableProperty> Properties) : Statement;

/// <summary><c>DROP STREAM | TABLE [IF EXISTS] name [DELETE TOPIC]</c>.</summary>
public sealed record DropSource(SourceKind Kind, QualifiedName Name, bool IfExists, bool DeleteTopic) : Statement;

/// <summary><c>DROP TYPE [IF EXISTS] name</c>.</summary>
public sealed record DropType(Identifier Name, bool IfExists) : Statement;
