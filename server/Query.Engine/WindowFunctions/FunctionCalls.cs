using Ast = Query.Grammar.Ast;

namespace Query.Engine.WindowFunctions;

/// <summary>
/// Every function call written in an expression (inside OVER clauses too, not inside subqueries, which are queries
/// of their own): the planner finds window functions, and the aggregates a window query uses, with it.
/// </summary>
internal sealed class FunctionCalls : Ast.ExprVisitor<List<Ast.FunctionCall>, bool>
{
    private static readonly FunctionCalls Instance = new();

    public static void Collect(Ast.Expr? expression, List<Ast.FunctionCall> calls)
    {
        if (expression is not null)
            Instance.Walk(expression, calls);
    }

    private bool Walk(Ast.Expr expression, List<Ast.FunctionCall> calls)
    {
        Limits.DepthGuard.Enter();
        return Visit(expression, calls);
    }

    private bool WalkAll(Ast.EquatableArray<Ast.Expr> expressions, List<Ast.FunctionCall> calls)
    {
        foreach (var expression in expressions)
            Walk(expression, calls);
        return true;
    }

    private bool WalkOptional(Ast.Expr? expression, List<Ast.FunctionCall> calls) =>
        expression is null || Walk(expression, calls);

    protected override bool VisitFunctionCall(Ast.FunctionCall call, List<Ast.FunctionCall> calls)
    {
        calls.Add(call);
        WalkAll(call.Arguments, calls);
        foreach (var item in call.OrderBy)
            Walk(item.Expression, calls);
        if (call.Over is { } over)
        {
            WalkAll(over.PartitionBy, calls);
            foreach (var item in over.OrderBy)
                Walk(item.Expression, calls);
        }
        return true;
    }

    protected override bool VisitLiteral(Ast.Literal literal, List<Ast.FunctionCall> calls) => true;

    protected override bool VisitParameter(Ast.Parameter parameter, List<Ast.FunctionCall> calls) => true;

    protected override bool VisitColumnRef(Ast.ColumnRef column, List<Ast.FunctionCall> calls) => true;

    protected override bool VisitUnary(Ast.UnaryExpr unary, List<Ast.FunctionCall> calls) =>
        Walk(unary.Operand, calls);

    protected override bool VisitBinary(Ast.BinaryExpr binary, List<Ast.FunctionCall> calls) =>
        Walk(binary.Left, calls) && Walk(binary.Right, calls);

    protected override bool VisitIsNull(Ast.IsNullExpr isNull, List<Ast.FunctionCall> calls) =>
        Walk(isNull.Operand, calls);

    protected override bool VisitBetween(Ast.BetweenExpr between, List<Ast.FunctionCall> calls) =>
        Walk(between.Operand, calls) && Walk(between.Low, calls) && Walk(between.High, calls);

    protected override bool VisitInList(Ast.InListExpr inList, List<Ast.FunctionCall> calls) =>
        Walk(inList.Operand, calls) && WalkAll(inList.Items, calls);

    protected override bool VisitInSubquery(Ast.InSubqueryExpr inSubquery, List<Ast.FunctionCall> calls) =>
        Walk(inSubquery.Operand, calls);

    protected override bool VisitLike(Ast.LikeExpr like, List<Ast.FunctionCall> calls) =>
        Walk(like.Operand, calls) && Walk(like.Pattern, calls);

    protected override bool VisitQuantifiedComparison(Ast.QuantifiedComparisonExpr quantified,
        List<Ast.FunctionCall> calls) => Walk(quantified.Left, calls) && Walk(quantified.Right, calls);

    protected override bool VisitCase(Ast.CaseExpr caseExpr, List<Ast.FunctionCall> calls)
    {
        WalkOptional(caseExpr.Operand, calls);
        foreach (var when in caseExpr.WhenClauses)
        {
            Walk(when.Condition, calls);
            Walk(when.Result, calls);
        }
        return WalkOptional(caseExpr.Else, calls);
    }

    protected override bool VisitCast(Ast.CastExpr cast, List<Ast.FunctionCall> calls) => Walk(cast.Operand, calls);

    protected override bool VisitLambda(Ast.LambdaExpr lambda, List<Ast.FunctionCall> calls) =>
        Walk(lambda.Body, calls);

    protected override bool VisitSubscript(Ast.SubscriptExpr subscript, List<Ast.FunctionCall> calls) =>
        Walk(subscript.Base, calls) && Walk(subscript.Index, calls);

    protected override bool VisitFieldAccess(Ast.FieldAccessExpr fieldAccess, List<Ast.FunctionCall> calls) =>
        Walk(fieldAccess.Base, calls);

    protected override bool VisitArrayConstructor(Ast.ArrayConstructor array, List<Ast.FunctionCall> calls) =>
        WalkAll(array.Items, calls);

    protected override bool VisitMapConstructor(Ast.MapConstructor map, List<Ast.FunctionCall> calls)
    {
        foreach (var entry in map.Entries)
        {
            Walk(entry.Key, calls);
            Walk(entry.Value, calls);
        }
        return true;
    }

    protected override bool VisitStructConstructor(Ast.StructConstructor structValue, List<Ast.FunctionCall> calls)
    {
        foreach (var field in structValue.Fields)
            Walk(field.Value, calls);
        return true;
    }

    protected override bool VisitSubquery(Ast.SubqueryExpr subquery, List<Ast.FunctionCall> calls) => true;

    protected override bool VisitExists(Ast.ExistsExpr exists, List<Ast.FunctionCall> calls) => true;

    protected override bool VisitArraySubquery(Ast.ArraySubqueryExpr arraySubquery, List<Ast.FunctionCall> calls) =>
        true;

    protected override bool VisitCollate(Ast.CollateExpr collate, List<Ast.FunctionCall> calls) =>
        Walk(collate.Operand, calls);
}
