namespace Query.Server.Tests;

/// <summary>
/// pgjdbc 42.5's DatabaseMetaData (Debian libpostgresql-jdbc-java, a JDK runs the single-file program), the
/// calls DBeaver and Metabase make on connect, each answered with our relations.
/// </summary>
public sealed class JdbcMetadataTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public JdbcMetadataTests(ServerFixture server) => _server = server;

    private Task RunAsync(string part) => ClientScript.JavaAsync(_server, "JdbcMetadataClient.java", "jm", part);

    [Fact]
    public Task Get_schemas_lists_public_and_pg_catalog() => RunAsync("schemas");

    [Fact]
    public Task Get_tables_lists_a_table_as_a_table() => RunAsync("tables");

    [Fact]
    public Task Get_columns_gives_jdbc_types_positions_and_nullability() => RunAsync("columns");

    [Fact]
    public Task Get_primary_keys_names_the_key_column_and_its_constraint() => RunAsync("keys");

    [Fact]
    public Task Get_type_info_maps_postgresql_types_to_jdbc_types() => RunAsync("types");

    [Fact]
    public Task Imported_keys_index_info_functions_procedures_and_map_columns_answer() => RunAsync("browse");
}
