namespace Query.Server.Tests;

/// <summary>psycopg 3.1 (Debian python3-psycopg): arrays as parameters and results, COPY, ANY(array).</summary>
public sealed class Psycopg3Tests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public Psycopg3Tests(ServerFixture server) => _server = server;

    private Task RunAsync(string part) => ClientScript.PythonAsync(_server, "psycopg3_client.py", "pg3", part);

    [Fact]
    public Task Lists_travel_as_arrays_in_text_and_binary_and_copy_runs_both_ways() => RunAsync("arrays_copy");

    [Fact]
    public Task Any_of_an_array_parameter_and_of_an_array_column_filters_rows() => RunAsync("any");

    [Fact]
    public Task Insert_on_conflict_upserts_a_table_and_is_refused_on_a_stream() => RunAsync("upsert");
}
