namespace Query.Grammar.Tests;

public class ClientQueryTests
{
    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < ClientQueries.All.Length; i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Statements_sent_by_postgres_clients_parse(int index)
    {
        var statements = SqlParser.Parse(ClientQueries.All[index]);
        Assert.NotEmpty(statements);
    }
}
