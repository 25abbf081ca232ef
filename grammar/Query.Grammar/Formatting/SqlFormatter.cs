using System.Text;
using Query.Grammar.Ast;

namespace Query.Grammar.Formatting;

/// <summary>
/// Prints the AST back to SQL in this dialect, such that <c>SqlParser.Parse(Format(x))</c> gives a tree equal to
/// <c>x</c> for every tree the parser produced (spans aside, see <see cref="SyntaxNode"/>). Output is one line,
/// keywords in upper case, parentheses only where precedence needs them, aliases always with AS, and
/// identifiers quoted only when they must be (reserved words, lower case or unusual characters).
/// </summary>
public sealed partial class SqlFormatter
{
    private readonly StringBuilder _out = new();

    private SqlFormatter()
    {
    }

    public static string Format(Statement statement)
    {
        var formatter = new SqlFormatter();
        formatter.Statement(statement);
        return formatter._out.ToString();
    }

    public static string Format(Expr expression)
    {
        var formatter = new SqlFormatter();
        formatter.Expression(expression);
        return formatter._out.ToString();
    }

    public static string Format(SelectQuery query)
    {
        var formatter = new SqlFormatter();
        formatter.Query(query);
        return formatter._out.ToString();
    }

    public static string Format(SqlTypeSyntax type)
    {
        var formatter = new SqlFormatter();
        formatter.Type(type);
        return formatter._out.ToString();
    }

    /// <summary>Formats several statements, each ended by <c>;</c>.</summary>
    public static string Format(IEnumerable<Statement> statements)
    {
        var formatter = new SqlFormatter();
        foreach (var statement in statements)
        {
            if (formatter._out.Length > 0)
                formatter._out.Append(' ');
            formatter.Statement(statement);
            formatter._out.Append(';');
        }
        return formatter._out.ToString();
    }

    private SqlFormatter Append(string text)
    {
        _out.Append(text);
        return this;
    }

    private SqlFormatter Append(char text)
    {
        _out.Append(text);
        return this;
    }

    private void Statement(Statement statement)
    {
        RuntimeGuard();
        switch (statement)
        {
            case QueryStatement s: Query(s.Query); break;
            case CreateStream s:
                CreateSource("STREAM", s.Name, s.Columns, s.PrimaryKey, s.Properties, s.OrReplace, s.IfNotExists,
                    s.IsSource);
                break;
            case CreateTable s:
                CreateSource("TABLE", s.Name, s.Columns, s.PrimaryKey, s.Properties, s.OrReplace, s.IfNotExists,
                    s.IsSource);
                break;
            case CreateStreamAsSelect s:
                CreateAsSelect("STREAM", s.Name, s.Properties, s.Query, s.OrReplace, s.IfNotExists);
                break;
            case CreateTableAsSelect s:
                CreateAsSelect("TABLE", s.Name, s.Properties, s.Query, s.OrReplace, s.IfNotExists);
                break;
            case CreateType s: CreateTypeStatement(s); break;
            case InsertInto s: InsertIntoStatement(s); break;
            case InsertValues s: InsertValuesStatement(s); break;
            case DeleteRows s: DeleteStatement(s); break;
            case AlterSourceAddColumns s: AlterAddColumns(s); break;
            case AlterSourceSetProperties s: AlterSetProperties(s); break;
            case DropSource s: DropSourceStatement(s); break;
            case DropType s: Append("DROP TYPE ").Append(s.IfExists ? "IF EXISTS " : "").Name(s.Name); break;
            default: CommandStatement(statement); break;
        }
    }

    /// <summary>Trees come from the parser's own limits, but code can build deeper ones.</summary>
    private static void RuntimeGuard() =>
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();

    private void CreateSource(string kind, QualifiedName name, EquatableArray<ColumnDefinition> columns,
        EquatableArray<Identifier> primaryKey, EquatableArray<TableProperty> properties, bool orReplace,
        bool ifNotExists, bool isSource)
    {
        Append("CREATE ").Append(orReplace ? "OR REPLACE " : "").Append(isSource ? "SOURCE " : "")
            .Append(kind).Append(' ').Append(ifNotExists ? "IF NOT EXISTS " : "").Name(name);
        if (!columns.IsEmpty)
        {
            Append(" (");
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0)
                    Append(", ");
                Column(columns[i]);
            }
            for (var i = 0; i < primaryKey.Count; i++)
                Append(i == 0 ? ", PRIMARY KEY (" : ", ").Name(primaryKey[i]);
            Append(primaryKey.IsEmpty ? ")" : "))");
        }
        With(properties);
    }

    private void Column(ColumnDefinition column)
    {
        Name(column.Name).Append(" ");
        Type(column.Type);
        switch (column.Role)
        {
            case ColumnRole.Key: Append(" KEY"); break;
            case ColumnRole.PrimaryKey: Append(" PRIMARY KEY"); break;
            case ColumnRole.Headers: Append(" HEADERS"); break;
            case ColumnRole.Header: Append(" HEADER(").StringLiteralText(column.HeaderKey ?? "").Append(")"); break;
        }
    }

    private void With(EquatableArray<TableProperty> properties)
    {
        if (properties.IsEmpty)
            return;
        Append(" WITH ");
        PropertyList(properties);
    }

    private void PropertyList(EquatableArray<TableProperty> properties)
    {
        Append("(");
        for (var i = 0; i < properties.Count; i++)
        {
            if (i > 0)
                Append(", ");
            Name(properties[i].Name).Append(" = ");
            if (properties[i].Value is IntegerLiteral { Value: < 0 } negative)
                Append(negative.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            else
                Expression(properties[i].Value);
        }
        Append(")");
    }

    private void CreateAsSelect(string kind, QualifiedName name, EquatableArray<TableProperty> properties,
        SelectQuery query, bool orReplace, bool ifNotExists)
    {
        Append("CREATE ").Append(orReplace ? "OR REPLACE " : "").Append(kind).Append(' ')
            .Append(ifNotExists ? "IF NOT EXISTS " : "").Name(name);
        With(properties);
        Append(" AS ");
        Query(query);
    }

    private void CreateTypeStatement(CreateType statement)
    {
        Append("CREATE TYPE ").Append(statement.IfNotExists ? "IF NOT EXISTS " : "").Name(statement.Name);
        Append(" AS ");
        Type(statement.Type);
    }

    private void InsertIntoStatement(InsertInto statement)
    {
        Append("INSERT INTO ").Name(statement.Target);
        With(statement.Properties);
        Append(" ");
        Query(statement.Query);
    }

    private void DeleteStatement(DeleteRows statement)
    {
        Append("DELETE FROM ").Name(statement.Target);
        if (statement.Where is not null)
        {
            Append(" WHERE ");
            Expression(statement.Where);
        }
    }

    private void InsertValuesStatement(InsertValues statement)
    {
        Append("INSERT INTO ").Name(statement.Target);
        if (!statement.Columns.IsEmpty)
        {
            Append(" (");
            NameList(statement.Columns);
            Append(")");
        }
        Append(" VALUES ");
        for (var i = 0; i < statement.Rows.Count; i++)
        {
            if (i > 0)
                Append(", ");
            Append("(");
            ExpressionList(statement.Rows[i].Values);
            Append(")");
        }
        if (statement.Conflict is { } conflict)
            OnConflictClause(conflict);
    }

    private void AlterAddColumns(AlterSourceAddColumns statement)
    {
        Append("ALTER ").Append(Kind(statement.Kind)).Append(' ').Name(statement.Name);
        for (var i = 0; i < statement.Columns.Count; i++)
        {
            Append(i == 0 ? " ADD COLUMN " : ", ADD COLUMN ");
            Column(statement.Columns[i]);
        }
    }

    private void AlterSetProperties(AlterSourceSetProperties statement)
    {
        Append("ALTER ").Append(Kind(statement.Kind)).Append(' ').Name(statement.Name).Append(" SET ");
        PropertyList(statement.Properties);
    }

    private void DropSourceStatement(DropSource statement)
    {
        Append("DROP ").Append(Kind(statement.Kind)).Append(' ').Append(statement.IfExists ? "IF EXISTS " : "")
            .Name(statement.Name).Append(statement.DeleteTopic ? " DELETE TOPIC" : "");
    }

    private static string Kind(SourceKind kind) => kind == SourceKind.Stream ? "STREAM" : "TABLE";
}
