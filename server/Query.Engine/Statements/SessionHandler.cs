using Query.Engine.Errors;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// SET / UNSET of session properties and PostgreSQL's session statements. Transactions are accepted and are
/// no-ops: every statement commits on its own (INSERT is atomic per statement), which is what clients that
/// wrap work in BEGIN/COMMIT observe anyway.
/// </summary>
internal static class SessionHandler
{
    public static StatementResult Execute(EngineSession session, Ast.Statement statement)
    {
        switch (statement)
        {
            case Ast.SetProperty set:
                if (string.Equals(set.Name, "auto.offset.reset", StringComparison.OrdinalIgnoreCase)
                    && set.Value.ToLowerInvariant() is not ("earliest" or "latest"))
                    throw new SqlException(SqlState.InvalidParameterValue,
                        $"invalid value for auto.offset.reset: \"{set.Value}\" (expected earliest or latest)",
                        position: set.Span.Start + 1);
                session.SetProperty(set.Name, set.Value);
                return StatementResult.Command("SET");
            case Ast.UnsetProperty unset:
                session.UnsetProperty(unset.Name);
                return StatementResult.Command("SET");
            case Ast.SetVariable variable:
                var name = variable.Name.ToString().ToLowerInvariant();
                if (variable.Values.Count == 0)
                    session.UnsetProperty(name);
                else
                    session.SetProperty(name, string.Join(", ", ValuesOf(variable)));
                return StatementResult.Command("SET");
            case Ast.BeginTransaction:
                return StatementResult.Command("BEGIN");
            case Ast.CommitTransaction:
                return StatementResult.Command("COMMIT");
            case Ast.RollbackTransaction:
                return StatementResult.Command("ROLLBACK");
            case Ast.Discard discard:
                if (discard.Target == Ast.DiscardTarget.All)
                    session.ResetProperties();
                return StatementResult.Command(discard.Target switch
                {
                    Ast.DiscardTarget.All => "DISCARD ALL",
                    Ast.DiscardTarget.Plans => "DISCARD PLANS",
                    Ast.DiscardTarget.Sequences => "DISCARD SEQUENCES",
                    _ => "DISCARD TEMP",
                });
            default:
                throw SqlException.FeatureNotSupported(statement.GetType().Name, statement.Span.Start + 1);
        }
    }

    private static List<string> ValuesOf(Ast.SetVariable variable)
    {
        var values = new List<string>();
        foreach (var value in variable.Values)
        {
            values.Add(value switch
            {
                Ast.StringLiteral s => s.Value,
                Ast.IntegerLiteral i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Ast.BooleanLiteral b => b.Value ? "on" : "off",
                Ast.DecimalLiteral d => d.Text,
                _ => value.ToString(),
            });
        }
        return values;
    }
}
