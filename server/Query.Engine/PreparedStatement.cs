using Query.Engine.Binding;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine;

/// <summary>
/// A parsed and described statement: what the extended protocol's Describe needs before Execute. Re-bound at
/// each execution with its parameter values (so a stream dropped in between is an error then, not a crash).
/// </summary>
public sealed class PreparedStatement
{
    internal PreparedStatement(string sql, Ast.Statement statement, IReadOnlyList<ColumnInfo> columns,
        IReadOnlyList<SqlType> parameterTypes)
    {
        Sql = sql;
        Statement = statement;
        Columns = columns;
        ParameterTypes = parameterTypes;
    }

    /// <summary>The text of this statement (a slice of what was prepared).</summary>
    public string Sql { get; }

    public Ast.Statement Statement { get; }

    /// <summary>Result columns; empty for statements that complete with a command tag.</summary>
    public IReadOnlyList<ColumnInfo> Columns { get; }

    /// <summary>Inferred types of $1..$n (STRING where nothing constrains a parameter).</summary>
    public IReadOnlyList<SqlType> ParameterTypes { get; }

    /// <summary>The PostgreSQL type each parameter was cast to where it differs from its engine type's mapping
    /// (<c>$1::oid[]</c>); 0 (or no entry) elsewhere.</summary>
    public IReadOnlyList<int> ParameterPgTypeOids { get; init; } = [];

    /// <summary>
    /// False when describing had to wait for execution (see <see cref="EngineSession.PrepareBatch"/>).
    /// </summary>
    public bool IsDescribed { get; init; } = true;

    /// <summary>True when execution returns rows (SELECT, SHOW, DESCRIBE, EXPLAIN).</summary>
    public bool ReturnsRows => Columns.Count > 0;

    /// <summary>An INSERT ... VALUES bound once and reused while the catalog is unchanged (see
    /// <see cref="Statements.InsertPlan"/>); set on the first execution.</summary>
    internal Statements.InsertPlan? InsertPlan { get; set; }

    /// <summary>True for EMIT CHANGES queries, which run until LIMIT or cancellation.</summary>
    public bool IsPushQuery => Statement is Ast.QueryStatement { Query.Emit: Ast.EmitKind.Changes };
}
