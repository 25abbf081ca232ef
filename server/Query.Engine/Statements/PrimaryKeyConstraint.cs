using Query.Engine.Binding;
using Query.Engine.Errors;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// The table constraint form <c>CREATE TABLE t (a INT, b STRING, c INT, PRIMARY KEY (a, b))</c> (PostgreSQL's
/// spelling of a key of several columns; ksqlDB marks each column <c>PRIMARY KEY</c>). The constraint lists the key
/// columns in key order; it replaces column marks, so a table has one or the other (42P16 as PostgreSQL's "multiple
/// primary keys"), and a stream takes KEY columns instead.
/// </summary>
internal static class PrimaryKeyConstraint
{
    public static List<int> Keys(Ast.EquatableArray<Ast.Identifier> primaryKey, List<ColumnInfo> columns,
        List<int> marked, bool table)
    {
        var position = primaryKey[0].Span.Start + 1;
        if (!table)
            throw new SqlException(SqlState.SyntaxError, "streams take KEY columns; PRIMARY KEY is for tables",
                position: position);
        if (marked.Count > 0)
            throw new SqlException("42P16", "multiple primary keys for a table are not allowed", position: position,
                hint: "Mark the key columns PRIMARY KEY or list them in PRIMARY KEY (...), not both.");
        var keys = new List<int>(primaryKey.Count);
        foreach (var name in primaryKey)
        {
            var index = columns.FindIndex(c => string.Equals(c.Name, name.Value, StringComparison.Ordinal));
            if (index < 0)
                throw new SqlException(SqlState.UndefinedColumn,
                    $"column \"{name.Value}\" named in key does not exist", position: name.Span.Start + 1);
            if (keys.Contains(index))
                throw new SqlException(SqlState.DuplicateColumn,
                    $"column \"{name.Value}\" appears twice in primary key constraint", position: name.Span.Start + 1);
            keys.Add(index);
        }
        return keys;
    }
}
