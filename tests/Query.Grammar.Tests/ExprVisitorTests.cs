using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

public class ExprVisitorTests
{
    /// <summary>Every expression node of the corpus reaches the visit method for its own type.</summary>
    [Fact]
    public void Visit_dispatches_every_expression_node_to_its_method()
    {
        var visitor = new TypeNameVisitor();
        var visited = new HashSet<string>();
        foreach (var sql in StatementCorpus.Statements)
        {
            foreach (var statement in SqlParser.Parse(sql))
            {
                foreach (var expression in CoverageTests.Nodes(statement).OfType<Expr>())
                {
                    var name = visitor.Visit(expression, 0);
                    Assert.Equal(expression is Literal ? nameof(Literal) : expression.GetType().Name, name);
                    visited.Add(name);
                }
            }
        }
        Assert.Equal(24, visited.Count);
    }

    private sealed class TypeNameVisitor : ExprVisitor<int, string>
    {
        protected override string VisitLiteral(Literal node, int context) => nameof(Literal);

        protected override string VisitParameter(Parameter node, int context) => nameof(Parameter);

        protected override string VisitColumnRef(ColumnRef node, int context) => nameof(ColumnRef);

        protected override string VisitUnary(UnaryExpr node, int context) => nameof(UnaryExpr);

        protected override string VisitBinary(BinaryExpr node, int context) => nameof(BinaryExpr);

        protected override string VisitIsNull(IsNullExpr node, int context) => nameof(IsNullExpr);

        protected override string VisitBetween(BetweenExpr node, int context) => nameof(BetweenExpr);

        protected override string VisitInList(InListExpr node, int context) => nameof(InListExpr);

        protected override string VisitInSubquery(InSubqueryExpr node, int context) => nameof(InSubqueryExpr);

        protected override string VisitLike(LikeExpr node, int context) => nameof(LikeExpr);

        protected override string VisitQuantifiedComparison(QuantifiedComparisonExpr node, int context) => nameof(QuantifiedComparisonExpr);

        protected override string VisitCase(CaseExpr node, int context) => nameof(CaseExpr);

        protected override string VisitCast(CastExpr node, int context) => nameof(CastExpr);

        protected override string VisitFunctionCall(FunctionCall node, int context) => nameof(FunctionCall);

        protected override string VisitLambda(LambdaExpr node, int context) => nameof(LambdaExpr);

        protected override string VisitSubscript(SubscriptExpr node, int context) => nameof(SubscriptExpr);

        protected override string VisitFieldAccess(FieldAccessExpr node, int context) => nameof(FieldAccessExpr);

        protected override string VisitArrayConstructor(ArrayConstructor node, int context) => nameof(ArrayConstructor);

        protected override string VisitMapConstructor(MapConstructor node, int context) => nameof(MapConstructor);

        protected override string VisitStructConstructor(StructConstructor node, int context) => nameof(StructConstructor);

        protected override string VisitSubquery(SubqueryExpr node, int context) => nameof(SubqueryExpr);

        protected override string VisitExists(ExistsExpr node, int context) => nameof(ExistsExpr);

        protected override string VisitArraySubquery(ArraySubqueryExpr node, int context) => nameof(ArraySubqueryExpr);

        protected override string VisitCollate(CollateExpr node, int context) => nameof(CollateExpr);
    }
}
