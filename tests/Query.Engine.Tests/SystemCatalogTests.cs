using Query.Engine.Errors;
using Query.Engine.SystemCatalog;

namespace Query.Engine.Tests;

/// <summary>
/// pg_catalog and information_schema are relations the planner reads like streams: generated from the catalog,
/// filtered, joined, aggregated and sorted by the same operators.
/// </summary>
public sealed class SystemCatalogTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        "CREATE STREAM orders (id BIGINT KEY, amount DOUBLE, tags ARRAY<INT>, note STRING) WITH (PARTITIONS = 1)",
        "CREATE TABLE users (id INT PRIMARY KEY, name STRING) WITH (PARTITIONS = 1)");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_system_relation_reads_with_rows_as_wide_as_its_columns()
    {
        foreach (var relation in PgCatalog.All)
        {
            var rows = await _db.QueryAsync($"SELECT * FROM {relation.Schema}.{relation.Name}");
            Assert.All(rows, r => Assert.Equal(relation.Columns.Count, r.Length));
        }
        Assert.True((long)(await _db.QueryAsync("SELECT count(*) FROM pg_type"))[0][0]! > 30);
    }

    [Fact]
    public async Task Streams_and_tables_are_ordinary_tables_and_a_table_key_is_a_primary_key_index()
    {
        var classes = await _db.QueryAsync(
            "SELECT relname, relkind, relhasindex FROM pg_catalog.pg_class WHERE relnamespace = 2200 ORDER BY 1");
        Assert.Equal([["orders", "r", false], ["users", "r", true], ["users_pkey", "i", false]], classes);
        var key = await _db.QueryAsync("SELECT i.indisprimary, i.indkey, ic.relname FROM pg_index i "
            + "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid "
            + "WHERE c.relname = 'users'");
        Assert.Equal(true, key[0][0]);
        Assert.Equal("users_pkey", key[0][2]);
        var constraint = await _db.QueryAsync("SELECT conname, contype, conkey FROM pg_constraint");
        Assert.Equal("users_pkey", Assert.Single(constraint)[0]);
        Assert.Equal("p", constraint[0][1]);
    }

    [Fact]
    public async Task Columns_carry_postgresql_type_oids_and_format_type_names()
    {
        var columns = await _db.QueryAsync("SELECT a.attname, a.atttypid, a.attnum, t.typname FROM pg_attribute a "
            + "JOIN pg_class c ON a.attrelid = c.oid JOIN pg_type t ON t.oid = a.atttypid "
            + "WHERE c.relname = 'orders' AND a.attnum > 0 ORDER BY a.attnum");
        Assert.Equal([["id", 20, 1, "int8"], ["amount", 701, 2, "float8"], ["tags", 1007, 3, "_int4"],
            ["note", 25, 4, "text"]], columns);
        Assert.Equal("integer[]", PgTypes.FormatType(1007, -1));
    }

    [Fact]
    public async Task Information_schema_lists_tables_columns_and_keys()
    {
        var tables = await _db.QueryAsync("SELECT table_name, table_type FROM information_schema.tables "
            + "WHERE table_schema = 'public' ORDER BY table_name");
        Assert.Equal([["orders", "BASE TABLE"], ["users", "BASE TABLE"]], tables);
        var columns = await _db.QueryAsync("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            + "WHERE table_name = 'users' ORDER BY ordinal_position");
        Assert.Equal([["id", "integer", "NO"], ["name", "text", "YES"]], columns);
        var keys = await _db.QueryAsync("SELECT k.column_name FROM information_schema.table_constraints c "
            + "JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name "
            + "WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_name = 'users'");
        Assert.Equal("id", Assert.Single(keys)[0]);
    }

    [Fact]
    public async Task A_relation_keeps_its_oid_from_query_to_query_and_unknown_catalog_names_are_42P01()
    {
        var first = await _db.QueryAsync("SELECT oid FROM pg_class WHERE relname = 'orders'");
        await _db.ExecAsync("CREATE STREAM zzz (x INT) WITH (PARTITIONS = 1)");
        Assert.Equal(first, await _db.QueryAsync("SELECT oid FROM pg_class WHERE relname = 'orders'"));
        Assert.True((int)first[0][0]! >= CatalogSnapshot.FirstUserOid);
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync("SELECT * FROM pg_catalog.pg_nope")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported,
            (await _db.FailsAsync("SELECT * FROM pg_class EMIT CHANGES")).SqlState);
    }
}
