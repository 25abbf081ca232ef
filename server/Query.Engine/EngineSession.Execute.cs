using Query.Engine.Errors;
using Query.Engine.Statements;
using Ast = Query.Grammar.Ast;

namespace Query.Engine;

public sealed partial class EngineSession
{
    private async ValueTask<StatementResult> ExecuteCoreAsync(PreparedStatement prepared,
        IReadOnlyList<object?> parameters,
        CancellationToken cancellationToken)
    {
        var statement = prepared.Statement;
        switch (statement)
        {
            case Ast.QueryStatement query:
                return QueryHandler.Execute(this, query, parameters, cancellationToken);
            case Ast.InsertValues insert:
                return await InsertHandler.ExecuteAsync(this, insert, parameters, prepared, cancellationToken);
            case Ast.DeleteRows delete:
                return await DeleteHandler.ExecuteAsync(this, delete, parameters, cancellationToken);
            case Ast.CreateStream create:
                return DdlHandler.CreateStream(this, create);
            case Ast.CreateTable createTable:
                return TableDdlHandler.Create(this, createTable);
            case Ast.DropSource drop:
                return DdlHandler.Drop(this, drop);
            case Ast.AlterSourceAddColumns alter:
                return DdlHandler.AddColumns(this, alter);
            case Ast.CreateStreamAsSelect csas:
                return PersistentQueryHandler.CreateStreamAsSelect(this, csas);
            case Ast.CreateTableAsSelect ctas:
                return PersistentQueryHandler.CreateTableAsSelect(this, ctas);
            case Ast.InsertInto insertSelect:
                return PersistentQueryHandler.InsertInto(this, insertSelect);
            case Ast.Terminate terminate:
                return await PersistentQueryHandler.TerminateAsync(this, terminate);
            case Ast.Show { Kind: Ast.ShowKind.Queries } show:
                return PersistentQueryHandler.ShowQueries(this, show.Extended);
            case Ast.Explain { QueryId: { } queryId }:
                return PersistentQueryHandler.Explain(this, queryId);
            case Ast.AlterSourceSetProperties alter:
                return TieringHandler.SetProperties(this, alter);
            case Ast.ArchiveStream archive:
                return await TieringHandler.ArchiveAsync(this, archive, cancellationToken);
            case Ast.CompactStream compact:
                return await TieringHandler.CompactAsync(this, compact, cancellationToken);
            case Ast.Explain explain:
                return QueryHandler.Explain(this, explain, parameters);
            case Ast.Show or Ast.Describe or Ast.DescribeFunction or Ast.ShowVariable:
                return ShowHandler.Execute(this, statement);
            case Ast.SetProperty or Ast.UnsetProperty or Ast.SetVariable or Ast.BeginTransaction
                or Ast.CommitTransaction or Ast.RollbackTransaction or Ast.Discard:
                return SessionHandler.Execute(this, statement);
            default:
                throw SqlException.FeatureNotSupported(FeatureName(statement), statement.Span.Start + 1);
        }
    }

    private static string FeatureName(Ast.Statement statement) => statement switch
    {
        Ast.CreateType or Ast.DropType => "CREATE TYPE / DROP TYPE",
        Ast.Print => "PRINT (use SELECT ... EMIT CHANGES)",
        _ => statement.GetType().Name,
    };
}
