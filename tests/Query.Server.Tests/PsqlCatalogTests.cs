namespace Query.Server.Tests;

/// <summary>
/// psql's <c>\d</c> family and tab completion against the real server: every command runs PostgreSQL 15's own
/// catalog queries, and the answers must have PostgreSQL's shape (psql reads them by position) with our streams
/// and tables in them. Unaligned output (<c>-A</c>) keeps the header and rows comparable as text.
/// </summary>
public sealed class PsqlCatalogTests : IClassFixture<PsqlCatalogTests.Relations>
{
    private readonly Relations _db;

    public PsqlCatalogTests(Relations db) => _db = db;

    /// <summary>One stream and one table (with a primary key) the tests look for.</summary>
    public sealed class Relations : IAsyncLifetime
    {
        public ServerFixture Server { get; } = new();

        public string Stream { get; } = ServerFixture.UniqueName("ev");

        public string Table { get; } = ServerFixture.UniqueName("us");

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            await using var connection = await Server.OpenConnectionAsync();
            foreach (var sql in (string[])[
                $"CREATE STREAM {Stream} (id BIGINT KEY, ts TIMESTAMP, user_id INT, tags ARRAY<INT>, note STRING)",
                $"CREATE TABLE {Table} (id INT PRIMARY KEY, name STRING)",
                $"INSERT INTO {Stream} (id, user_id, note) VALUES (1, 7, 'x')"])
            {
                await using var command = new Npgsql.NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        public Task DisposeAsync() => Server.DisposeAsync();
    }

    private Task<string[]> PsqlLinesAsync(params string[] commands) => PsqlLinesAsync(commands, "");

    private async Task<string[]> PsqlLinesAsync(string[] commands, string expectedError)
    {
        var arguments = new List<string>
        {
            "-h", "127.0.0.1", "-p", _db.Server.Port.ToString(), "-U", "query", "-d", "query",
            "-X", "-v", "ON_ERROR_STOP=1", "-A", "-P", "footer=off",
        };
        foreach (var command in commands)
            arguments.AddRange(["-c", command]);
        var (code, output, error) = await ExternalClient.RunAsync("psql", arguments);
        Assert.True(code == 0, $"psql exited {code}: {error}");
        Assert.Equal(expectedError, error.Trim());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Backslash_d_and_dt_list_streams_and_tables_as_tables_in_postgresqls_four_columns()
    {
        foreach (var command in (string[])[@"\d", @"\dt", $@"\dt {_db.Stream[..4]}*"])
        {
            var lines = await PsqlLinesAsync(command);
            Assert.Equal("List of relations", lines[0]);
            Assert.Equal("Schema|Name|Type|Owner", lines[1]);
            Assert.Contains($"public|{_db.Stream}|table|query", lines);
            if (!command.Contains('*', StringComparison.Ordinal))
                Assert.Contains($"public|{_db.Table}|table|query", lines);
            Assert.DoesNotContain(lines, l => l.Contains("pg_class", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Backslash_dt_plus_adds_persistence_access_method_and_the_size_of_the_log()
    {
        var lines = await PsqlLinesAsync(@"\dt+");
        Assert.Equal("Schema|Name|Type|Owner|Persistence|Access method|Size|Description", lines[1]);
        var row = Assert.Single(lines, l => l.StartsWith($"public|{_db.Stream}|", StringComparison.Ordinal));
        var cells = row.Split('|');
        Assert.Equal(["table", "query", "permanent", "heap"], cells[2..6]);
        Assert.Matches(@"^[1-9]\d* bytes$", cells[6]);
    }

    [Fact]
    public async Task Backslash_di_lists_a_tables_primary_key_index_and_dv_finds_no_views()
    {
        var lines = await PsqlLinesAsync(@"\di");
        Assert.Equal("Schema|Name|Type|Owner|Table", lines[1]);
        Assert.Contains($"public|{_db.Table}_pkey|index|query|{_db.Table}", lines);
        Assert.DoesNotContain(lines, l => l.Contains(_db.Stream, StringComparison.Ordinal));
        Assert.Empty(await PsqlLinesAsync([@"\dv"], "Did not find any relations."));
    }

    [Fact]
    public async Task Backslash_dn_lists_public_and_df_lists_no_user_functions_in_postgresqls_columns()
    {
        var schemas = await PsqlLinesAsync(@"\dn");
        Assert.Equal(["List of schemas", "Name|Owner", "public|query"], schemas);
        var functions = await PsqlLinesAsync(@"\df");
        Assert.Equal(["List of functions", "Schema|Name|Result data type|Argument data types|Type"], functions);
    }

    [Fact]
    public async Task Backslash_d_name_and_d_plus_name_describe_the_columns_with_postgresql_types()
    {
        var lines = await PsqlLinesAsync($@"\d {_db.Stream}");
        Assert.Equal($"Table \"public.{_db.Stream}\"", lines[0]);
        Assert.Equal("Column|Type|Collation|Nullable|Default", lines[1]);
        Assert.Equal(["id|bigint|||", "ts|timestamp without time zone|||", "user_id|integer|||",
            "tags|integer[]|||", "note|text|||"], lines[2..7]);
        var verbose = await PsqlLinesAsync($@"\d+ {_db.Stream}");
        Assert.Equal("Column|Type|Collation|Nullable|Default|Storage|Compression|Stats target|Description",
            verbose[1]);
        Assert.Contains("user_id|integer||||plain|||", verbose);
        Assert.Contains("note|text||||extended|||", verbose);
    }

    [Fact]
    public async Task Backslash_x_turns_on_expanded_output_of_a_query_over_a_stream()
    {
        var lines = await PsqlLinesAsync(@"\x", $"SELECT id, note FROM {_db.Stream}");
        Assert.Equal(["Expanded display is on.", "id|1", "note|x"], lines);
    }

    [Fact]
    public async Task Backslash_l_lists_the_database_in_postgresqls_eight_columns()
    {
        var lines = await PsqlLinesAsync(@"\l");
        Assert.Equal("Name|Owner|Encoding|Collate|Ctype|ICU Locale|Locale Provider|Access privileges", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("query|query|UTF8|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backslash_du_lists_the_role_as_a_superuser()
    {
        var lines = await PsqlLinesAsync(@"\du");
        Assert.Equal("Role name|Attributes|Member of", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("query|Superuser", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tab_completes_column_names_in_a_terminal()
    {
        var screen = await Terminal.PsqlAsync(_db.Server.Port,
            [$"SELECT * FROM {_db.Stream} WHERE us", "Tab"], $@"WHERE user_id");
        Assert.Contains($"SELECT * FROM {_db.Stream} WHERE user_id", screen, StringComparison.Ordinal);
        var columns = await Terminal.PsqlAsync(_db.Server.Port, [$"INSERT INTO {_db.Stream} (", "Tab", "Tab"],
            @"id\s+note\s+tags\s+ts\s+user_id");
        Assert.Matches(@"id\s+note\s+tags\s+ts\s+user_id", columns);
    }

    [Fact]
    public async Task Tab_completes_stream_names_in_a_terminal()
    {
        var screen = await Terminal.PsqlAsync(_db.Server.Port, [$"SELECT * FROM {_db.Stream[..2]}", "Tab"],
            _db.Stream);
        Assert.Contains($"SELECT * FROM {_db.Stream}", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tab_completes_a_prefix_holding_an_underscore()
    {
        // psql escapes the _ as \_ in its LIKE pattern ('ev\_1%'); LIKE's default escape is the backslash.
        var screen = await Terminal.PsqlAsync(_db.Server.Port, [$"SELECT * FROM {_db.Stream[..4]}", "Tab"],
            _db.Stream);
        Assert.Contains($"SELECT * FROM {_db.Stream}", screen, StringComparison.Ordinal);
        var column = await Terminal.PsqlAsync(_db.Server.Port,
            [$"SELECT * FROM {_db.Stream} WHERE user_", "Tab"], "WHERE user_id");
        Assert.Contains("WHERE user_id", column, StringComparison.Ordinal);
    }
}
