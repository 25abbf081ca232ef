using System.Globalization;
using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>
/// Set-returning and scalar functions in FROM with an alias and column aliases, and information_schema's
/// _pg_expandarray as pgjdbc's getPrimaryKeys and getIndexInfo use it (in the select list, its fields read as
/// <c>(...).n</c> and <c>(result.keys).x</c>) — each answer as PostgreSQL 15 gives it.
/// </summary>
public sealed class FunctionsInFromTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() =>
        await _db.ExecAllAsync("CREATE TABLE accounts (id INT PRIMARY KEY, owner STRING)",
            "CREATE STREAM tagged (id INT, tags ARRAY<INT>)",
            "INSERT INTO tagged (id, tags) VALUES (1, ARRAY[7, 8]), (2, ARRAY[9])");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string> RowsAsync(string sql) => string.Join(" ", (await _db.QueryAsync(sql)).Select(row =>
        string.Join("|", row.Select(v => v is null ? "-" : Convert.ToString(v, CultureInfo.InvariantCulture)))));

    [Fact]
    public async Task Functions_in_from_take_an_alias_and_column_aliases()
    {
        Assert.Equal("1 2 3", await RowsAsync("SELECT i FROM generate_series(1, 3) g(i)"));
        Assert.Equal("1 2 3", await RowsAsync("SELECT g.i FROM generate_series(1, 3) AS g(i) ORDER BY g.i"));
        Assert.Equal("4 5", await RowsAsync("SELECT x FROM unnest(ARRAY[4, 5]) AS u(x)"));
        Assert.Equal("a b", await RowsAsync("SELECT s FROM unnest(string_to_array('a,b', ',')) s"));
        Assert.Equal("a", await RowsAsync("SELECT s[1] FROM string_to_array('a,b', ',') s"));
        Assert.Equal("1|a 2|b", await RowsAsync("SELECT i, s[i] FROM generate_series(1, 2) AS i, "
            + "string_to_array('a,b', ',') s ORDER BY i"));
    }

    [Fact]
    public async Task Pg_expandarray_in_from_gives_each_element_and_its_subscript()
    {
        Assert.Equal("7|1 8|2", await RowsAsync("SELECT x, n FROM information_schema._pg_expandarray(ARRAY[7, 8])"));
        Assert.Equal("8|2", await RowsAsync(
            "SELECT e.v, e.i FROM information_schema._pg_expandarray(ARRAY[7, 8]) AS e(v, i) WHERE e.i = 2"));
        Assert.Equal(SqlState.SyntaxError, (await _db.FailsAsync(
            "SELECT * FROM information_schema._pg_expandarray(ARRAY[7]) AS e(a, b, c)")).SqlState);
    }

    [Fact]
    public async Task Pg_expandarray_in_the_select_list_reads_as_pgjdbc_reads_it()
    {
        Assert.Equal("1|7|1 1|8|2 2|9|1", await RowsAsync(
            "SELECT id, (keys).x, seq FROM (SELECT id, (information_schema._pg_expandarray(tags)).n AS seq, "
            + "information_schema._pg_expandarray(tags) AS keys FROM tagged) r ORDER BY id, 2"));
        // getPrimaryKeys: the key columns of a table, with their position in the key.
        Assert.Equal("accounts|id|1|accounts_pkey", await RowsAsync(
            "SELECT result.TABLE_NAME, result.COLUMN_NAME, result.KEY_SEQ, result.PK_NAME FROM (SELECT NULL AS "
            + "TABLE_CAT, n.nspname AS TABLE_SCHEM, ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME, "
            + "(information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME, "
            + "information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM FROM pg_catalog.pg_class "
            + "ct JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid) JOIN pg_catalog.pg_namespace n ON "
            + "(ct.relnamespace = n.oid) JOIN pg_catalog.pg_index i ON ( a.attrelid = i.indrelid) JOIN "
            + "pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) WHERE true AND n.nspname = 'public' AND "
            + "ct.relname = 'accounts' AND i.indisprimary ) result where result.A_ATTNUM = (result.KEYS).x ORDER BY "
            + "result.table_name, result.pk_name, result.key_seq"));
        Assert.Equal(SqlState.FeatureNotSupported, (await _db.FailsAsync(
            "SELECT information_schema._pg_expandarray(tags) IS NULL FROM tagged")).SqlState);
    }
}
