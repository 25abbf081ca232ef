namespace Query.Server.Tests;

/// <summary>
/// SQLAlchemy 1.4 with psycopg2 (its default PostgreSQL driver) and pandas 1.5, Debian's packages (.ci/run
/// installs python3-sqlalchemy and python3-pandas), as their users start: create_engine and connect, the
/// Inspector, read_sql_query / read_sql_table and to_sql into an existing table.
/// </summary>
public sealed class SqlAlchemyTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public SqlAlchemyTests(ServerFixture server) => _server = server;

    private Task RunAsync(string part) => ClientScript.PythonAsync(_server, "sqlalchemy_client.py", "sa", part);

    [Fact]
    public Task Create_engine_connects_with_defaults_and_result_keys_are_lower_case() => RunAsync("connect");

    [Fact]
    public Task Inspector_lists_tables_columns_types_and_the_primary_key() => RunAsync("inspect");

    [Fact]
    public Task Pandas_read_sql_query_has_lower_case_keys_and_to_sql_appends_to_an_existing_table() =>
        RunAsync("pandas_query");

    [Fact]
    public Task Pandas_read_sql_table_reads_every_column() => RunAsync("pandas_table");

    [Fact]
    public Task Array_map_and_struct_columns_reflect_and_to_sql_appends_timestamps_and_decimals() => RunAsync("nested");
}
