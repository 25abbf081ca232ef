using Query.Grammar.Ast;

namespace Query.Grammar.Formatting;

/// <summary>SHOW, DESCRIBE, SET, transaction control and the other command statements.</summary>
public sealed partial class SqlFormatter
{
    private void CommandStatement(Statement statement)
    {
        switch (statement)
        {
            case Show s: ShowStatement(s); break;
            case ShowVariable s: Append("SHOW ").Name(s.Name); break;
            case Describe s: Append(s.Extended ? "DESCRIBE EXTENDED " : "DESCRIBE ").Name(s.Name); break;
            case DescribeFunction s: Append("DESCRIBE FUNCTION ").Name(s.Name); break;
            case Explain s: ExplainStatement(s); break;
            case Terminate s: TerminateStatement(s); break;
            case ArchiveStream s: Append("ARCHIVE STREAM ").Name(s.Name); break;
            case CompactStream s: Append("COMPACT STREAM ").Name(s.Name); break;
            case Print s: PrintStatement(s); break;
            case SetProperty s:
                Append("SET ").StringLiteralText(s.Name).Append(" = ").StringLiteralText(s.Value);
                break;
            case UnsetProperty s: Append("UNSET ").StringLiteralText(s.Name); break;
            case SetVariable s: SetVariableStatement(s); break;
            case BeginTransaction: Append("BEGIN"); break;
            case CommitTransaction: Append("COMMIT"); break;
            case RollbackTransaction: Append("ROLLBACK"); break;
            case Discard s: Append("DISCARD ").Append(DiscardWord(s.Target)); break;
            default:
                throw new ArgumentException($"cannot format statement {statement.GetType().Name}", nameof(statement));
        }
    }

    private void ShowStatement(Show statement)
    {
        Append("SHOW ");
        if (statement.All)
            Append("ALL ");
        Append(statement.Kind switch
        {
            ShowKind.Streams => "STREAMS",
            ShowKind.Tables => "TABLES",
            ShowKind.Queries => "QUERIES",
            ShowKind.Properties => "PROPERTIES",
            ShowKind.Functions => "FUNCTIONS",
            ShowKind.Topics => "TOPICS",
            ShowKind.Types => "TYPES",
            ShowKind.Archivals => "ARCHIVALS",
            _ => "VARIABLES",
        });
        if (statement.Extended)
            Append(" EXTENDED");
    }

    private void ExplainStatement(Explain statement)
    {
        Append("EXPLAIN ");
        if (statement.Statement is not null)
            Statement(statement.Statement);
        else if (statement.QueryId is not null)
            Name(statement.QueryId);
    }

    private void TerminateStatement(Terminate statement)
    {
        Append("TERMINATE ");
        if (statement.QueryId is null)
            Append("ALL");
        else
            Name(statement.QueryId);
    }

    private void PrintStatement(Print statement)
    {
        Append("PRINT ").Name(statement.Topic);
        if (statement.FromBeginning)
            Append(" FROM BEGINNING");
        if (statement.Interval is { } interval)
            Append(" INTERVAL ").Append(interval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (statement.Limit is { } limit)
            Append(" LIMIT ").Append(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private void SetVariableStatement(SetVariable statement)
    {
        Append(statement.Local ? "SET LOCAL " : "SET ").Name(statement.Name);
        if (statement.Values.IsEmpty)
        {
            Append(" TO DEFAULT");
            return;
        }
        Append(" = ");
        for (var i = 0; i < statement.Values.Count; i++)
        {
            if (i > 0)
                Append(", ");
            SetValue(statement.Values[i]);
        }
    }

    private void SetValue(Literal value)
    {
        switch (value)
        {
            // SET values may be negative numbers; in expressions a minus is an operator instead.
            case IntegerLiteral n: Append(n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case DecimalLiteral d: Append(d.Text); break;
            case DoubleLiteral d: Append(DoubleText(d.Value)); break;
            default: Expression(value); break;
        }
    }

    private static string DiscardWord(DiscardTarget target) => target switch
    {
        DiscardTarget.All => "ALL",
        DiscardTarget.Plans => "PLANS",
        DiscardTarget.Sequences => "SEQUENCES",
        _ => "TEMP",
    };

    private void OnConflictClause(OnConflict conflict)
    {
        Append(" ON CONFLICT");
        if (!conflict.Target.IsEmpty)
        {
            Append(" (");
            NameList(conflict.Target);
            Append(")");
        }
        else if (conflict.Constraint is { } constraint)
        {
            Append(" ON CONSTRAINT ").Name(constraint);
        }
        if (!conflict.DoUpdate)
        {
            Append(" DO NOTHING");
            return;
        }
        Append(" DO UPDATE SET ");
        for (var i = 0; i < conflict.Assignments.Count; i++)
        {
            if (i > 0)
                Append(", ");
            Name(conflict.Assignments[i].Column).Append(" = ");
            Expression(conflict.Assignments[i].Value);
        }
        if (conflict.Where is { } where)
        {
            Append(" WHERE ");
            Expression(where);
        }
    }
}
