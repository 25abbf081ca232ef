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

    [Fact]
    public async Task Oid_casts_resolve_names_and_print_them_back()
    {
        var row = Assert.Single(await _db.QueryAsync("SELECT 'pg_class'::regclass, 'public.orders'::regclass::text, "
            + "'int4'::regtype, 1007::regtype::text, 'pg_catalog.array_in'::regproc::text, '42'::oid"));
        Assert.Equal([1259, "orders", 23, "integer[]", "array_in", 42], row);
        // psycopg 3's TypeInfo.fetch sends the type's name as a parameter cast to regtype.
        var type = await _db.QueryAsync("SELECT typname AS name, oid, typarray AS array_oid, "
            + "oid::regtype::text AS regtype, typdelim AS delimiter FROM pg_type t WHERE t.oid = $1::regtype", "text");
        Assert.Equal(["text", 25, 1009, "text", ","], Assert.Single(type));
        Assert.Equal(SqlState.UndefinedTable, (await _db.FailsAsync("SELECT 'nope'::regclass")).SqlState);
    }

    [Fact]
    public async Task Catalog_functions_answer_as_postgresql_does_for_one_schema_and_one_role()
    {
        var row = Assert.Single(await _db.QueryAsync("SELECT current_user, current_database(), current_schema(), "
            + "current_schemas(true), pg_get_userbyid(10), pg_table_is_visible(1259), "
            + "has_table_privilege('orders', 'SELECT'), obj_description(1259, 'pg_class'), format_type(1043, 24), "
            + "octet_length('é'), array_to_string(ARRAY[1, 2], ',')"));
        Assert.Equal(["query", "query", "public"], row[..3]);
        Assert.Equal(["pg_catalog", "public"], ((Query.Engine.Types.SqlArray)row[3]!).Items);
        Assert.Equal(["query", true, true, null, "character varying(20)", 2, "1,2"], row[4..]);
        var key = await _db.QueryAsync("SELECT pg_get_indexdef(i.indexrelid), pg_get_constraintdef(c.oid) "
            + "FROM pg_index i JOIN pg_constraint c ON c.conindid = i.indexrelid");
        Assert.Equal(["CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)", "PRIMARY KEY (id)"],
            Assert.Single(key));
        var names = (Query.Engine.Types.SqlArray)(await _db.QueryAsync("SELECT array_agg(relname) FROM pg_class "
            + "WHERE relkind = 'r' AND relnamespace = 2200"))[0][0]!;
        Assert.Equal(["orders", "users"], names.Items.Order());
    }

    [Fact]
    public async Task Dashboard_time_functions_bucket_by_epoch_seconds()
    {
        // Grafana's $__timeGroup(ts, 1m) written with date_part, the function form of extract(epoch from ts).
        var row = Assert.Single(await _db.QueryAsync("SELECT to_timestamp(90.5), "
            + "floor(date_part('epoch', TIMESTAMP '2020-01-01 00:01:10') / 60) * 60, "
            + "date_part('hour', TIMESTAMP '2020-01-01 05:00:00')"));
        Assert.Equal(90_500L, row[0]);
        Assert.Equal(1577836860.0, Convert.ToDouble(row[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(5.0, row[2]);
    }
}
