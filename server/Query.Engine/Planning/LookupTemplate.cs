using Query.Engine.Binding;
using Query.Engine.Execution.Operators;
using Query.Engine.Planning.Logical;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning;

/// <summary>
/// A prepared pull query by key (<c>SELECT cols FROM t WHERE id = $1</c>, or <c>IN ($1, $2)</c>) is planned and
/// compiled once, with its parameters left in the key lookup, and each execution supplies the values (see
/// <see cref="OperatorContext.Parameters"/>): planning and compiling cost far more than the lookup itself. Only
/// that shape qualifies: a projection of plain columns over the lookup, optionally a constant LIMIT; every other
/// query with parameters is bound with its values at each execution, as before.
/// </summary>
internal static class LookupTemplate
{
    public static CompiledQuery? TryCompile(EngineSession session, Ast.SelectQuery query)
    {
        if (query.Limit is Ast.Parameter || query.Offset is Ast.Parameter || query.Emit != Ast.EmitKind.None)
            return null;
        BoundQuery plan;
        try
        {
            plan = session.PlanSelect(query, new ParameterTypes(), null);
        }
        catch (Errors.SqlException)
        {
            return null;   // the ordinary path reports it with the values in hand
        }
        return IsLookup(plan.Root) ? new CompiledQuery(plan, session.Engine.TimeProvider) : null;
    }

    private static bool IsLookup(LogicalPlan node) => node switch
    {
        LogicalLimit limit => IsLookup(limit.Input),
        LogicalProject project => PlainColumns(project) && project.Input is LogicalKeyLookup,
        _ => false,
    };

    private static bool PlainColumns(LogicalProject project)
    {
        foreach (var expression in project.Expressions)
        {
            if (expression is not (BoundColumn or BoundPseudoColumn))
                return false;
        }
        return true;
    }
}
