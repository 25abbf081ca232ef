namespace Query.Server.Tests;

/// <summary>
/// node-postgres (npm pg 8.23) and postgres.js (npm postgres 4.2), pinned in Clients/node: arrays as parameters,
/// postgres.js' <c>sql(obj)</c> insert helpers (quoted lower-case column names), <c>row.count</c>.
/// </summary>
public sealed class NodeArrayTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public NodeArrayTests(ServerFixture server) => _server = server;

    private Task RunAsync(string part) => ClientScript.NodeAsync(_server, "arrays_client.js", "js", part);

    [Fact]
    public Task Node_postgres_binds_a_js_array_to_an_array_column_and_reads_it_back() => RunAsync("pg_arrays");

    [Fact]
    public Task Node_postgres_filters_with_any_of_an_array_parameter() => RunAsync("pg_any");

    [Fact]
    public Task Postgres_js_insert_helpers_write_one_and_several_rows() => RunAsync("postgres_insert");

    [Fact]
    public Task Postgres_js_filters_with_any_of_an_array_parameter() => RunAsync("postgres_any");
}
