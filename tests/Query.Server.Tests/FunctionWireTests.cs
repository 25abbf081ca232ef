using Npgsql;

namespace Query.Server.Tests;

/// <summary>ksqlDB's function results reach a PostgreSQL client intact: NaN and infinities, BYTES, lambdas.</summary>
public sealed class FunctionWireTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public FunctionWireTests(ServerFixture server) => _server = server;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Infinities_bytes_and_lambda_results_arrive_in_text_and_binary(bool binary)
    {
        await using var conn = await _server.OpenConnectionAsync();
        const string Sql = "SELECT LN(0) AS a, SQRT(-1) AS b, TO_BYTES('abc', 'utf8') AS c, "
            + "REDUCE(TRANSFORM(ARRAY[1, 2, 3], x => x * x), 0, (s, x) => s + x) AS d, ROUND(2.5E0, -1) AS 1R";
        // NpgsqlCommand uses the extended protocol (binary results); a parameterless batch the simple one (text).
        await using var command = new NpgsqlCommand(Sql, conn);
        await using var batch = new NpgsqlBatch(conn) { BatchCommands = { new(Sql) } };
        await using var reader = binary ? await command.ExecuteReaderAsync() : await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(double.NegativeInfinity, reader.GetDouble(0));
        Assert.True(double.IsNaN(reader.GetDouble(1)));
        Assert.Equal("abc"u8.ToArray(), (byte[])reader.GetValue(2));
        Assert.Equal(14, reader.GetInt32(3));
        Assert.Equal("1R", reader.GetName(4), ignoreCase: true);
        Assert.Equal(0.0, reader.GetDouble(4));
    }
}
