namespace Query.Server.Tests;

/// <summary>
/// asyncpg 0.27 (Debian python3-asyncpg, installed by .ci/run): named statements described before they are bound,
/// binary parameters and results, and its type introspection.
/// </summary>
public sealed class AsyncpgTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public AsyncpgTests(ServerFixture server) => _server = server;

    private Task RunAsync(string part) => ClientScript.PythonAsync(_server, "asyncpg_client.py", "ap", part);

    [Fact]
    public Task Set_type_codec_for_json_finds_a_scalar_type_and_decodes_maps() => RunAsync("json_codec");

    [Fact]
    public Task Array_columns_insert_and_select_as_lists() => RunAsync("arrays");

    [Fact]
    public Task Insert_on_conflict_do_nothing_counts_the_rows_written() => RunAsync("upsert");
}
