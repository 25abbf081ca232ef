namespace Query.Engine.Tests;

/// <summary>
/// A catalog column's PostgreSQL type (oid, name, "char") carries through what asyncpg's type introspection wraps
/// it in — CASE, a scalar subquery, array_agg (oid[]), SELECT DISTINCT * over a WITH RECURSIVE query — and a
/// parameter cast to oid[] is described as oid[]: asyncpg decodes only those types there without asking again.
/// </summary>
public sealed class PgTypeOidTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private int[] Described(string sql) => [.. _db.Session.Prepare(sql).Columns.Select(c => c.PgTypeOid)];

    [Fact]
    public void Catalog_types_survive_case_subqueries_array_agg_and_distinct()
    {
        Assert.Equal([1028], Described("SELECT CASE WHEN true THEN (SELECT array_agg(a.atttypid ORDER BY a.attnum) "
            + "FROM pg_attribute a) ELSE NULL END AS oids"));
        Assert.Equal([26, 18, 19], Described(
            "WITH RECURSIVE tree(oid, kind, name, depth) AS (SELECT t.oid, t.typtype, t.typname, 0 FROM pg_type t "
            + "WHERE t.oid = 23 UNION ALL SELECT t.oid, t.typtype, t.typname, tree.depth + 1 FROM pg_type t, tree "
            + "WHERE t.oid = tree.oid AND tree.depth < 1) SELECT DISTINCT oid, kind, name FROM tree"));
        Assert.Equal([26, 0], Described("SELECT typarray, count(*) FROM pg_type GROUP BY typarray"));
        // An engine expression over a catalog column is the engine's type.
        Assert.Equal([0, 0], Described("SELECT oid + 1, typname || 'x' FROM pg_type"));
    }

    [Fact]
    public void A_parameter_cast_to_oid_or_oid_array_is_described_as_that_type()
    {
        Assert.Equal([1028, 26], _db.Session.Prepare(
            "SELECT typname FROM pg_type WHERE oid = any($1::oid[]) OR oid = $2::oid").ParameterPgTypeOids);
        Assert.Equal([0], _db.Session.Prepare("SELECT typname FROM pg_type WHERE oid = $1").ParameterPgTypeOids);
    }
}
