using Query.Grammar.Ast;
using static Query.Grammar.Generated.QuerySqlParser;

namespace Query.Grammar;

/// <summary>CREATE, INSERT and ALTER statements and their column and property lists.</summary>
internal sealed partial class AstBuilder
{
    public override SyntaxNode VisitCreateStream(CreateStreamContext context) =>
        new CreateStream(
            Build<QualifiedName>(context.qualifiedName()),
            Columns(context.tableElements()),
            Properties(context.tableProperties()),
            OrReplace: context.OR() is not null,
            IfNotExists: context.IF() is not null,
            IsSource: context.SOURCE() is not null)
        { Span = SpanOf(context), PrimaryKey = PrimaryKeyConstraint(context.tableElements()) };

    public override SyntaxNode VisitCreateTable(CreateTableContext context) =>
        new CreateTable(
            Build<QualifiedName>(context.qualifiedName()),
            Columns(context.tableElements()),
            Properties(context.tableProperties()),
            OrReplace: context.OR() is not null,
            IfNotExists: context.IF() is not null,
            IsSource: context.SOURCE() is not null)
        { Span = SpanOf(context), PrimaryKey = PrimaryKeyConstraint(context.tableElements()) };

    public override SyntaxNode VisitCreateStreamAs(CreateStreamAsContext context) =>
        new CreateStreamAsSelect(
            Build<QualifiedName>(context.qualifiedName()),
            Properties(context.tableProperties()),
            Build<SelectQuery>(context.query()),
            OrReplace: context.OR() is not null,
            IfNotExists: context.IF() is not null)
        { Span = SpanOf(context) };

    public override SyntaxNode VisitCreateTableAs(CreateTableAsContext context) =>
        new CreateTableAsSelect(
            Build<QualifiedName>(context.qualifiedName()),
            Properties(context.tableProperties()),
            Build<SelectQuery>(context.query()),
            OrReplace: context.OR() is not null,
            IfNotExists: context.IF() is not null)
        { Span = SpanOf(context) };

    public override SyntaxNode VisitCreateType(CreateTypeContext context) =>
        new CreateType(Build<Identifier>(context.identifier()), Build<SqlTypeSyntax>(context.type()),
            context.IF() is not null)
        { Span = SpanOf(context) };

    public override SyntaxNode VisitInsertInto(InsertIntoContext context) =>
        new InsertInto(
            Build<QualifiedName>(context.qualifiedName()),
            Properties(context.tableProperties()),
            Build<SelectQuery>(context.query()))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitInsertValues(InsertValuesContext context) =>
        new InsertValues(
            Build<QualifiedName>(context.qualifiedName()),
            IdentifierList(context.columnList()),
            BuildAll<ValuesRow>(context.valuesRow()),
            BuildOrNull<OnConflict>(context.onConflict()))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitOnConflict(OnConflictContext context) =>
        new OnConflict(
            IdentifierList(context.columnList()),
            BuildOrNull<Identifier>(context.constraint),
            DoUpdate: context.UPDATE() is not null,
            BuildAll<Assignment>(context.assignment()),
            BuildOrNull<Expr>(context.where))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitAssignment(AssignmentContext context) =>
        new Assignment(Build<Identifier>(context.identifier()), Build<Expr>(context.expression()))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitDeleteRows(DeleteRowsContext context) =>
        new DeleteRows(Build<QualifiedName>(context.qualifiedName()), BuildOrNull<Expr>(context.where))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitValuesRow(ValuesRowContext context) =>
        new ValuesRow(BuildAll<Expr>(context.expression())) { Span = SpanOf(context) };

    public override SyntaxNode VisitAlterSourceAddColumns(AlterSourceAddColumnsContext context) =>
        new AlterSourceAddColumns(
            context.STREAM() is not null ? SourceKind.Stream : SourceKind.Table,
            Build<QualifiedName>(context.qualifiedName()),
            BuildAll<ColumnDefinition>(context.alterColumn()))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitAlterColumn(AlterColumnContext context) =>
        new ColumnDefinition(Build<Identifier>(context.identifier()), Build<SqlTypeSyntax>(context.type()),
            ColumnRole.Value, HeaderKey: null)
        { Span = SpanOf(context) };

    public override SyntaxNode VisitAlterSourceSetProperties(AlterSourceSetPropertiesContext context) =>
        new AlterSourceSetProperties(
            context.STREAM() is not null ? SourceKind.Stream : SourceKind.Table,
            Build<QualifiedName>(context.qualifiedName()),
            Properties(context.tableProperties()))
        { Span = SpanOf(context) };

    public override SyntaxNode VisitTableElement(TableElementContext context)
    {
        var role = ColumnRole.Value;
        string? headerKey = null;
        if (context.columnConstraint() is { } constraint)
        {
            role = constraint.PRIMARY() is not null ? ColumnRole.PrimaryKey
                : constraint.KEY() is not null ? ColumnRole.Key
                : constraint.HEADERS() is not null ? ColumnRole.Headers
                : ColumnRole.Header;
            if (constraint.STRING() is { } key)
                headerKey = UnquoteString(key.GetText());
        }
        return new ColumnDefinition(Build<Identifier>(context.identifier()), Build<SqlTypeSyntax>(context.type()),
            role, headerKey)
        { Span = SpanOf(context) };
    }

    public override SyntaxNode VisitTableProperty(TablePropertyContext context)
    {
        var name = context.identifier() is { } id
            ? Build<Identifier>(id)
            : Identifier.QuotedName(UnquoteString(context.STRING().GetText())) with
            {
                Span = SpanOf(context.STRING().Symbol),
            };
        // A negative number (RETENTION_MS = -1: no limit) is the only signed value a property takes.
        Literal value = context.MINUS() is null ? Build<Literal>(context.literal())
            : long.TryParse("-" + context.INTEGER_VALUE().GetText(), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var negative)
                ? new IntegerLiteral(negative) { Span = SpanOf(context.INTEGER_VALUE().Symbol) }
                : new StringLiteral("-" + context.INTEGER_VALUE().GetText()) { Span = SpanOf(context) };
        return new TableProperty(name, value) { Span = SpanOf(context) };
    }

    private EquatableArray<ColumnDefinition> Columns(TableElementsContext? context) =>
        context is null ? default : BuildAll<ColumnDefinition>(context.tableElement());

    private EquatableArray<Identifier> PrimaryKeyConstraint(TableElementsContext? context) =>
        context?.primaryKeyConstraint() is { } constraint ? IdentifierList(constraint.columnList()) : default;

    private EquatableArray<TableProperty> Properties(TablePropertiesContext? context) =>
        context is null ? default : BuildAll<TableProperty>(context.tableProperty());

    private EquatableArray<Identifier> IdentifierList(ColumnListContext? context) =>
        context is null ? default : BuildAll<Identifier>(context.identifier());
}
