using System.Runtime.CompilerServices;
using Query.Engine.Errors;

namespace Query.Engine.Limits;

/// <summary>
/// The one guard every recursive pass over an AST, a bound expression or a plan calls on entry (binder,
/// aggregation analysis, constant folding, pushdown analysis, compiler). The parser already caps a statement's
/// depth (<see cref="EngineOptions.MaxStatementDepth"/>), so on an ordinary thread this never fires; it is what
/// keeps a caller on a small stack, or a tree built by code rather than parsed, from killing the process with a
/// stack overflow. Either way the answer is 54001 statement_too_complex, as PostgreSQL gives.
/// </summary>
public static class DepthGuard
{
    /// <summary>Throws 54001 when less stack is left than a pass needs for one more level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw TooComplex();
    }

    public static SqlException TooComplex(string? detail = null, int? position = null) =>
        new(SqlState.StatementTooComplex, "statement too complex", detail,
            "simplify the expression, or split a long AND / OR chain into an IN list", position);
}
