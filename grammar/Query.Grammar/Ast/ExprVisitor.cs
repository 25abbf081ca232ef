namespace Query.Grammar.Ast;

/// <summary>
/// Base for passes over expressions (binding, constant folding, predicate pushdown, evaluator compilation).
/// Every method is abstract, so a pass lists every expression node; a new node adds a method here and stops
/// every pass from compiling until it handles it. Literals share one method: passes treat them alike.
/// </summary>
/// <typeparam name="TContext">State the pass threads through (a scope, a builder).</typeparam>
/// <typeparam name="TResult">What the pass produces per node.</typeparam>
public abstract class ExprVisitor<TContext, TResult>
{
    /// <summary>Dispatches <paramref name="expression"/> to the method for its type.</summary>
    public TResult Visit(Expr expression, TContext context) => expression switch
    {
        Literal e => VisitLiteral(e, context),
        Parameter e => VisitParameter(e, context),
        ColumnRef e => VisitColumnRef(e, context),
        UnaryExpr e => VisitUnary(e, context),
        BinaryExpr e => VisitBinary(e, context),
        IsNullExpr e => VisitIsNull(e, context),
        BetweenExpr e => VisitBetween(e, context),
        InListExpr e => VisitInList(e, context),
        InSubqueryExpr e => VisitInSubquery(e, context),
        LikeExpr e => VisitLike(e, context),
        QuantifiedComparisonExpr e => VisitQuantifiedComparison(e, context),
        CaseExpr e => VisitCase(e, context),
        CastExpr e => VisitCast(e, context),
        FunctionCall e => VisitFunctionCall(e, context),
        LambdaExpr e => VisitLambda(e, context),
        SubscriptExpr e => VisitSubscript(e, context),
        FieldAccessExpr e => VisitFieldAccess(e, context),
        ArrayConstructor e => VisitArrayConstructor(e, context),
        MapConstructor e => VisitMapConstructor(e, context),
        StructConstructor e => VisitStructConstructor(e, context),
        SubqueryExpr e => VisitSubquery(e, context),
        ExistsExpr e => VisitExists(e, context),
        ArraySubqueryExpr e => VisitArraySubquery(e, context),
        CollateExpr e => VisitCollate(e, context),
        _ => throw new ArgumentException($"unknown node {expression.GetType().Name}", nameof(expression)),
    };

    protected abstract TResult VisitLiteral(Literal literal, TContext context);

    protected abstract TResult VisitParameter(Parameter parameter, TContext context);

    protected abstract TResult VisitColumnRef(ColumnRef column, TContext context);

    protected abstract TResult VisitUnary(UnaryExpr unary, TContext context);

    protected abstract TResult VisitBinary(BinaryExpr binary, TContext context);

    protected abstract TResult VisitIsNull(IsNullExpr isNull, TContext context);

    protected abstract TResult VisitBetween(BetweenExpr between, TContext context);

    protected abstract TResult VisitInList(InListExpr inList, TContext context);

    protected abstract TResult VisitInSubquery(InSubqueryExpr inSubquery, TContext context);

    protected abstract TResult VisitLike(LikeExpr like, TContext context);

    protected abstract TResult VisitQuantifiedComparison(QuantifiedComparisonExpr quantified, TContext context);

    protected abstract TResult VisitCase(CaseExpr caseExpr, TContext context);

    protected abstract TResult VisitCast(CastExpr cast, TContext context);

    protected abstract TResult VisitFunctionCall(FunctionCall call, TContext context);

    protected abstract TResult VisitLambda(LambdaExpr lambda, TContext context);

    protected abstract TResult VisitSubscript(SubscriptExpr subscript, TContext context);

    protected abstract TResult VisitFieldAccess(FieldAccessExpr fieldAccess, TContext context);

    protected abstract TResult VisitArrayConstructor(ArrayConstructor array, TContext context);

    protected abstract TResult VisitMapConstructor(MapConstructor map, TContext context);

    protected abstract TResult VisitStructConstructor(StructConstructor structValue, TContext context);

    protected abstract TResult VisitSubquery(SubqueryExpr subquery, TContext context);

    protected abstract TResult VisitExists(ExistsExpr exists, TContext context);

    protected abstract TResult VisitArraySubquery(ArraySubqueryExpr arraySubquery, TContext context);

    protected abstract TResult VisitCollate(CollateExpr collate, TContext context);
}
