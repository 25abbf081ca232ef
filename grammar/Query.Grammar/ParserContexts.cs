namespace Query.Grammar.Generated;

/// <summary>
/// The contexts that <see cref="AstBuilder"/> meets most often, sealed. A type test against a sealed class is a
/// single compare; against an unsealed one it walks up the base classes when it fails, and AstBuilder.Visit and
/// the <c>Child&lt;T&gt;</c> lookups test types on every node. All of them are leaves of the generated hierarchy;
/// if a grammar change ever derives from one, the build fails here and the line goes.
/// </summary>
public partial class QuerySqlParser
{
    public sealed partial class IdentifierContext;

    public sealed partial class ExpressionContext;

    public sealed partial class QualifiedColumnReferenceContext;

    public sealed partial class ColumnReferenceContext;

    public sealed partial class LiteralExpressionContext;

    public sealed partial class QualifiedNameContext;

    public sealed partial class SelectItemContext;

    public sealed partial class FunctionCallContext;

    public sealed partial class ExpressionArgumentContext;

    public sealed partial class ArithmeticBinaryContext;

    public sealed partial class NumericLiteralContext;

    public sealed partial class StringLiteralContext;

    public sealed partial class NumberContext;

    public sealed partial class ComparisonOperatorContext;

    public sealed partial class ComparisonContext;

    public sealed partial class InListContext;

    public sealed partial class AliasClauseContext;

    public sealed partial class TableRelationContext;

    public sealed partial class JoinRelationContext;

    public sealed partial class RelationDefaultContext;

    public sealed partial class JoinTypeContext;

    public sealed partial class JoinCriteriaContext;

    public sealed partial class QueryContext;

    public sealed partial class QueryStatementContext;

    public sealed partial class QuerySpecificationContext;

    public sealed partial class QueryTermDefaultContext;

    public sealed partial class EmitClauseContext;

    public sealed partial class OrderByContext;

    public sealed partial class SortItemContext;

    public sealed partial class ParenthesizedExpressionContext;
}
