using System.Diagnostics.CodeAnalysis;
using Query.Engine.Errors;
using Query.Grammar;
using Query.PgWire;

namespace Query.Server;

/// <summary>
/// Engine and grammar exceptions as wire errors. Anything not listed is left to the wire layer, which reports
/// it as XX000 internal_error (logged, no stack trace on the wire).
/// </summary>
internal static class WireErrors
{
    public static bool TryTranslate(Exception ex, [NotNullWhen(true)] out PgException? error)
    {
        error = ex switch
        {
            PgException pg => pg,
            SqlException e => new PgException(e.SqlState, e.Message, e.Detail, e.Hint, e.Position ?? 0),
            SqlSyntaxException e => new PgException(PgSqlState.SyntaxError, e.Message, position: e.Offset + 1),
            InsufficientExecutionStackException =>
                new PgException("54001", "statement is nested too deeply"),
            _ => null,
        };
        return error is not null;
    }
}
