using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// The functions tools call beside the catalog relations: psql's <c>\dt+</c> sizes, Grafana's search-path and
/// identifier functions, SQLAlchemy's <c>json_build_object</c>, pgcli's function list, array bounds.
/// </summary>
public sealed class ClientFunctionTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM readings (id BIGINT KEY, tags ARRAY<INT>, note STRING) WITH (PARTITIONS = 1)",
        "INSERT INTO readings (id, tags, note) VALUES (1, ARRAY[4, 5, 6], 'x')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<object?> ScalarAsync(string sql) => (await _db.QueryAsync(sql))[0][0];

    [Fact]
    public async Task Current_setting_reads_the_session_and_refuses_an_unknown_name()
    {
        Assert.Equal(1500, await ScalarAsync("SELECT current_setting('server_version_num')::int / 100"));
        Assert.Equal("\"$user\", public", await ScalarAsync("SELECT current_setting('search_path')"));
        Assert.Null(await ScalarAsync("SELECT current_setting('no_such_setting', true)"));
        var error = await Assert.ThrowsAsync<SqlException>(() => _db.QueryAsync(
            "SELECT current_setting('no_such_setting')"));
        Assert.Equal(SqlState.UndefinedObject, error.SqlState);
    }

    [Fact]
    public async Task Quote_ident_quotes_only_what_needs_it_and_parse_ident_splits_and_folds()
    {
        var row = (await _db.QueryAsync(
            "SELECT quote_ident('events'), quote_ident('Events'), quote_ident('user'), quote_ident('a\"b')"))[0];
        Assert.Equal(["events", "\"Events\"", "\"user\"", "\"a\"\"b\""], row);
        Assert.Equal(2, await ScalarAsync("SELECT array_length(parse_ident('public.\"My Table\"'), 1)"));
        Assert.Equal("My Table", await ScalarAsync("SELECT (parse_ident('public.\"My Table\"'))[2]"));
        Assert.Equal("events", await ScalarAsync("SELECT (parse_ident('EVENTS'))[1]"));
        await Assert.ThrowsAsync<SqlException>(() => _db.QueryAsync("SELECT parse_ident('a.\"b')"));
    }

    [Fact]
    public async Task Relation_sizes_count_the_log_bytes_and_print_as_postgresql_does()
    {
        var size = (long)(await ScalarAsync(
            "SELECT pg_table_size(c.oid) FROM pg_class c WHERE c.relname = 'readings'"))!;
        Assert.True(size > 0, $"size {size}");
        Assert.Equal(0L, await ScalarAsync("SELECT pg_table_size(c.oid) FROM pg_class c WHERE relname = 'pg_type'"));
        var pretty = (await _db.QueryAsync(
            "SELECT pg_size_pretty(0), pg_size_pretty(10239), pg_size_pretty(10240), pg_size_pretty(1048576), "
            + "pg_size_pretty(5000000000)"))[0];
        Assert.Equal(["0 bytes", "10239 bytes", "10 kB", "1024 kB", "4768 MB"], pretty);
    }

    [Fact]
    public async Task Array_bounds_and_string_to_array_follow_postgresql()
    {
        var row = (await _db.QueryAsync("SELECT array_lower(tags, 1), array_upper(tags, 1), array_length(tags, 1), "
            + "array_upper(tags, 2), array_length(tags) FROM readings"))[0];
        Assert.Equal([1, 3, 3, null, 3], row);
        Assert.Equal(2, await ScalarAsync("SELECT array_upper(string_to_array('\"$user\", public', ','), 1)"));
        Assert.Null(await ScalarAsync("SELECT array_upper(string_to_array('', ','), 1)"));
    }

    [Fact]
    public async Task Json_build_object_renders_each_value_by_its_type()
    {
        Assert.Equal("{\"always\" : true, \"start\" : 1, \"name\" : \"x\", \"none\" : null}",
            await ScalarAsync("SELECT json_build_object('always', 1 = 1, 'start', 1, 'name', note, 'none', NULL) "
                + "FROM readings"));
        await Assert.ThrowsAsync<SqlException>(() => _db.QueryAsync("SELECT json_build_object('a')"));
    }

    [Fact]
    public async Task Function_descriptions_come_from_the_registry_and_other_catalog_casts_resolve()
    {
        var row = (await _db.QueryAsync("SELECT pg_get_function_result(p.oid), pg_get_function_arguments(p.oid) "
            + "FROM pg_proc p WHERE p.proname = 'ucase'"))[0];
        Assert.Equal("string", row[0]);
        Assert.Equal("string", row[1]);
        Assert.Equal("pg_catalog", await ScalarAsync("SELECT 11::regnamespace::text"));
        Assert.Equal(2279, await ScalarAsync("SELECT 'trigger'::regtype::oid"));
        Assert.Equal(true, await ScalarAsync(
            "SELECT pg_relation_is_publishable(c.oid) FROM pg_class c WHERE c.relname = 'readings'"));
    }

    [Fact]
    public async Task Regproc_columns_hold_function_oids_that_join_to_pg_proc_as_npgsql_joins_them()
    {
        // Npgsql finds array types by the name of their receive function.
        var arrays = await _db.QueryAsync("SELECT t.typname, t.typelem FROM pg_type t "
            + "LEFT JOIN pg_proc p ON p.oid = t.typreceive WHERE p.proname = 'array_recv' AND t.typname = '_int4'");
        Assert.Equal([["_int4", 23]], arrays);
        var receive = await _db.QueryAsync("SELECT p.proname FROM pg_type t JOIN pg_proc p ON p.oid = t.typreceive "
            + "WHERE t.typname = 'int4'");
        Assert.Equal([["int4recv"]], receive);
        Assert.Equal(true, await ScalarAsync(
            "SELECT typinput = 'pg_catalog.array_in'::regproc FROM pg_type WHERE typname = '_text'"));
        Assert.Equal("ucase", await ScalarAsync("SELECT 'ucase'::regproc::text"));
        Assert.Equal(SqlState.UndefinedFunction,
            (await Assert.ThrowsAsync<SqlException>(() => _db.QueryAsync("SELECT 'no_such'::regproc"))).SqlState);
    }

    [Fact]
    public async Task Join_using_equates_the_named_columns_of_both_sides()
    {
        var rows = await _db.QueryAsync("SELECT n.nspname, t.typname FROM pg_type t "
            + "JOIN (SELECT oid AS typnamespace, nspname FROM pg_namespace) n USING (typnamespace) "
            + "WHERE t.typname = 'int4'");
        Assert.Equal([["pg_catalog", "int4"]], rows);
        var self = await _db.QueryAsync("SELECT a.id, b.note FROM readings a LEFT JOIN readings b USING (id, note)");
        Assert.Equal([[1L, "x"]], self);
        Assert.Equal(SqlState.UndefinedColumn, (await Assert.ThrowsAsync<SqlException>(() => _db.QueryAsync(
            "SELECT 1 FROM readings a JOIN pg_namespace n USING (nope)"))).SqlState);
    }

    [Fact]
    public async Task Concatenating_arrays_with_the_pipe_operator_appends_them()
    {
        Assert.Equal("4,5,6,7", await ScalarAsync("SELECT array_to_string(tags || ARRAY[7], ',') FROM readings"));
        Assert.Equal("a", await ScalarAsync(
            "SELECT array_to_string(c.reloptions || ARRAY['a'], ',') FROM pg_class c WHERE c.relname = 'readings'"));
    }

    [Fact]
    public async Task Generate_subscripts_numbers_the_elements_unnest_gives_in_lockstep()
    {
        var rows = await _db.QueryAsync("SELECT unnest(tags) AS v, generate_subscripts(tags, 1) AS i FROM readings");
        Assert.Equal([[4, 1], [5, 2], [6, 3]], rows);
        Assert.Equal(SqlState.FeatureNotSupported, (await Assert.ThrowsAsync<SqlException>(() => _db.QueryAsync(
            "SELECT generate_subscripts(tags, 2) FROM readings"))).SqlState);
    }
}
