using System.Collections.Frozen;
using Query.Grammar.Ast;

namespace Query.Grammar.Formatting;

/// <summary>Identifiers, names and types.</summary>
public sealed partial class SqlFormatter
{
    /// <summary>
    /// Keywords that cannot be used as bare identifiers (the grammar's keywords minus its nonReserved rule).
    /// A test parses every keyword as an alias to keep this list in step with QuerySql.g4.
    /// </summary>
    public static readonly FrozenSet<string> ReservedWords = FrozenSet.Create(StringComparer.Ordinal,
    [
        "ALL", "ALTER", "AND", "ANY", "ARRAY", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "COLLATE", "CREATE",
        "CROSS", "DELETE", "DESC", "DISTINCT", "DROP", "ELSE", "EMIT", "END", "ESCAPE", "EXCEPT", "EXISTS", "FALSE",
        "FROM", "FULL", "GROUP", "HAVING", "IF", "ILIKE", "IN", "INNER", "INSERT", "INTERSECT", "INTERVAL", "INTO",
        "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "MAP", "NOT", "NULL", "ON", "OR", "ORDER", "OUTER", "OVER",
        "PARTITION", "PRIMARY", "RIGHT", "SELECT", "SET", "SOME", "STRUCT", "TABLE", "THEN", "TO", "TRUE", "UNION",
        "USING", "VALUES", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN",
    ]);

    /// <summary>True when <paramref name="value"/> reads back as itself without quotes.</summary>
    public static bool IsBareIdentifier(string value)
    {
        if (value.Length == 0 || ReservedWords.Contains(value.ToUpperInvariant()))
            return false;
        var first = value[0];
        if (!(first is (>= 'a' and <= 'z') or '_' || first > 0x7F))
            return false;
        foreach (var c in value)
        {
            // Only lower case reads back unchanged: unquoted names are lower-cased by the parser.
            var plain = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '$' or '@'
                || (c > 0x7F && !char.IsUpper(c) && char.ToLowerInvariant(c) == c);
            if (!plain)
                return false;
        }
        return true;
    }

    private SqlFormatter Name(Identifier identifier)
    {
        var value = identifier.Value;
        if (IsBareIdentifier(value))
            return Append(value);
        _out.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        return this;
    }

    private SqlFormatter Name(QualifiedName name)
    {
        for (var i = 0; i < name.Parts.Count; i++)
        {
            if (i > 0)
                Append(".");
            Name(name.Parts[i]);
        }
        return this;
    }

    private void NameList(EquatableArray<Identifier> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
                Append(", ");
            Name(names[i]);
        }
    }

    private void Type(SqlTypeSyntax type)
    {
        switch (type.Name)
        {
            case SqlTypeNames.Array when type.ElementTypes.Count == 1:
                Append("ARRAY<");
                Type(type.ElementTypes[0]);
                Append(">");
                return;
            case SqlTypeNames.Map when type.ElementTypes.Count == 2:
                Append("MAP<");
                Type(type.ElementTypes[0]);
                Append(", ");
                Type(type.ElementTypes[1]);
                Append(">");
                return;
            case SqlTypeNames.Struct:
                Append("STRUCT<");
                for (var i = 0; i < type.Fields.Count; i++)
                {
                    if (i > 0)
                        Append(", ");
                    Name(type.Fields[i].Name).Append(" ");
                    Type(type.Fields[i].Type);
                }
                Append(">");
                return;
        }
        TypeName(type.Name);
        if (type.Parameters.IsEmpty)
            return;
        Append("(");
        for (var i = 0; i < type.Parameters.Count; i++)
        {
            if (i > 0)
                Append(", ");
            _out.Append(type.Parameters[i]);
        }
        Append(")");
    }

    private void TypeName(string name)
    {
        // Canonical names (INT, STRING, REGCLASS...) print bare; a user type with a dotted or quoted name
        // prints as one quoted identifier, which the parser reads back to the same name.
        if (IsBareIdentifier(name) || name is SqlTypeNames.Date or SqlTypeNames.Time or SqlTypeNames.Timestamp)
            Append(name);
        else
            _out.Append('"').Append(name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
