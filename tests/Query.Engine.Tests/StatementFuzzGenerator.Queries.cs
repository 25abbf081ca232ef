namespace Query.Engine.Tests;

/// <summary>Aggregates, windows, joins and INSERT INTO ... SELECT.</summary>
internal sealed partial class StatementFuzzGenerator
{
    private FuzzStep CreateAggregateQuery()
    {
        var sink = NewSink("a");
        if (Chance(25))
        {
            // A table source: updates retract from their old group, deletes only retract.
            var tableWhere = Chance(40) ? $" WHERE n {Pick("<", ">", "<>")} {_random.Next(0, 6)}" : "";
            var fromTable = new FuzzQuery(sink, true, $"SELECT name, c, sm, av FROM {sink}",
                $"SELECT name, COUNT(*), SUM(COALESCE(n, 0)), AVG(COALESCE(n, 0)) FROM t1{tableWhere} GROUP BY name")
            {
                DropZeroCount = true,
                DropNullFirst = true,
            };
            fromTable.Sources.Add("t1");
            return new FuzzStep(FuzzKind.CreateQuery,
                $"CREATE TABLE {sink} AS SELECT name, COUNT(*) AS c, SUM(COALESCE(n, 0)) AS sm, "
                + $"AVG(COALESCE(n, 0)) AS av FROM t1{tableWhere} GROUP BY name EMIT CHANGES")
            { Query = fromTable };
        }
        var (group, alias) = Pick(("k", "k"), ("s", "s"), ("v", "v"), ("(v % 3)", "g"), ("UCASE(s)", "g"), ("m", "m"),
            ("t", "t"), ("b", "b"), ("st->z", "g"), ("a[1]", "g"), (Wild(2), "g"));
        var key = group == alias ? group : $"{group} AS {alias}";
        var source = Pick("s1", "s2");
        var where = Chance(50) ? $" WHERE {Predicate()}" : "";
        var having = Chance(30)
            ? $" HAVING {Pick("COUNT(*) > 1", "SUM(COALESCE(v, 0)) > 3", "MIN(v) IS NULL", "MAX(s) <> 'a'")}"
            : "";
        var aggregates = "COUNT(*) AS c, SUM(COALESCE(v, 0)) AS sm, MIN(v) AS mn, MAX(s) AS mx, COUNT(v) AS cv";
        var oracleAggregates = "COUNT(*), SUM(COALESCE(v, 0)), MIN(v), MAX(s), COUNT(v)";
        var query = new FuzzQuery(sink, true, $"SELECT {alias}, c, sm, mn, mx, cv FROM {sink}",
            $"SELECT {group}, {oracleAggregates} FROM {source}{where} GROUP BY {group}{having}")
        {
            DropNullFirst = true,
        };
        query.Sources.Add(source);
        var extra = Chance(25) ? $", {Pick("LATEST_BY_OFFSET(v)", "COLLECT_LIST(s)", "COUNT_DISTINCT(s)",
            "EARLIEST_BY_OFFSET(d)", "STDDEV_SAMP(d)", "TOPK(v, 2)", "HISTOGRAM(s)", "SUM(m)", "MAX(t)", "MIN(b)",
            "COLLECT_SET(st)", "AVG(m)", "SUM(b)",
            $"{Pick("MAX", "MIN", "SUM", "COLLECT_LIST", "COUNT")}({Wild(2)})")} "
            + "AS x" : "";
        query.Checked = extra.Length == 0 && IsDeterministic(key + where);
        return new FuzzStep(FuzzKind.CreateQuery,
            $"CREATE TABLE {sink} AS SELECT {key}, {aggregates}{extra} FROM {source}{where} GROUP BY {group}{having} "
            + "EMIT CHANGES")
        { Query = query };
    }

    private FuzzStep CreateWindowedQuery()
    {
        var sink = NewSink("w");
        var where = Chance(40) ? $" WHERE {Predicate()}" : "";
        if (Chance(40))
        {
            // Tumbling windows with the default grace (24 hours) drop nothing here: a GROUP BY of the window's
            // start over the source answers the same.
            var tumbling = new FuzzQuery(sink, true, $"SELECT k, WINDOWSTART, c, sm FROM {sink}",
                $"SELECT k, ROWTIME - ROWTIME % 5000, COUNT(*), SUM(COALESCE(v, 0)) FROM s1{where} "
                + "GROUP BY k, ROWTIME - ROWTIME % 5000");
            tumbling.Sources.Add("s1");
            return new FuzzStep(FuzzKind.CreateQuery,
                $"CREATE TABLE {sink} AS SELECT k, COUNT(*) AS c, SUM(COALESCE(v, 0)) AS sm FROM s1 "
                + $"WINDOW TUMBLING (SIZE 5 SECONDS){where} GROUP BY k EMIT CHANGES")
            { Query = tumbling };
        }
        var window = Pick("TUMBLING (SIZE 5 SECONDS, GRACE PERIOD 0 SECONDS)",
            "HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS)", "HOPPING (SIZE 4 SECONDS, ADVANCE BY 3 SECONDS)",
            "SESSION (3 SECONDS)", "SESSION (2 SECONDS, GRACE PERIOD 1 SECOND)",
            "TUMBLING (SIZE 2 SECONDS, RETENTION 10 SECONDS, GRACE PERIOD 1 SECOND)",
            "HOPPING (SIZE 5 SECONDS, ADVANCE BY 10 SECONDS)", "TUMBLING (SIZE 0 SECONDS)");
        var group = Pick("k", "s", "v");
        var emit = Chance(25) ? "EMIT FINAL" : "EMIT CHANGES";
        var aggregate = Pick("COUNT(*)", "SUM(v)", "MAX(d)", "COLLECT_LIST(s)", "LATEST_BY_OFFSET(v)", "AVG(v)");
        var query = new FuzzQuery(sink, true, $"SELECT * FROM {sink}", null);
        query.Sources.Add("s1");
        return new FuzzStep(FuzzKind.CreateQuery,
            $"CREATE TABLE {sink} AS SELECT {group}, {aggregate} AS x, WINDOWSTART AS ws, WINDOWEND AS we FROM s1 "
            + $"WINDOW {window}{where} GROUP BY {group} {emit}")
        { Query = query };
    }

    private FuzzStep CreateJoinQuery()
    {
        var sink = NewSink("j");
        switch (_random.Next(4))
        {
            case 0:
                {
                    // Table-table: at lag 0 the sink holds the join of the two tables as they stand.
                    var kind = Pick("", "LEFT ");
                    var tables = new FuzzQuery(sink, true, $"SELECT id, name, x FROM {sink}",
                        $"SELECT a.id, a.name, b.x FROM t1 a {kind}JOIN t2 b ON a.id = b.id");
                    tables.Sources.AddRange(["t1", "t2"]);
                    return new FuzzStep(FuzzKind.CreateQuery,
                        $"CREATE TABLE {sink} AS SELECT a.id AS id, a.name AS name, b.x AS x FROM t1 a {kind}JOIN t2 b "
                        + "ON a.id = b.id EMIT CHANGES")
                    { Query = tables };
                }
            case 1:
                {
                    var kind = Pick("", "LEFT ", "FULL OUTER ", "RIGHT ");
                    var within = Pick("WITHIN 5 SECONDS", "WITHIN (2 SECONDS, 4 SECONDS)",
                        "WITHIN 3 SECONDS GRACE PERIOD 1 SECOND", "WITHIN 0 SECONDS");
                    var where = Chance(30) ? $" WHERE {Predicate("a.")}" : "";
                    var streams = new FuzzQuery(sink, false, $"SELECT * FROM {sink}", null);
                    streams.Sources.AddRange(["s1", "s2"]);
                    return new FuzzStep(FuzzKind.CreateQuery,
                        $"CREATE STREAM {sink} AS SELECT a.k AS k, a.v AS av, b.v AS bv, b.s AS bs FROM s1 a "
                        + $"{kind}JOIN "
                        + "s2 b "
                        + $"{within} ON a.k = b.k{where} EMIT CHANGES")
                    { Query = streams };
                }
            case 2:
                {
                    var kind = Pick("", "LEFT ");
                    var on = Pick("a.v = b.id", "a.k = b.id", "a.v + 1 = b.id", "a.v = b.id AND b.n > 1");
                    var where = Chance(30) ? $" WHERE {Predicate("a.")}" : "";
                    var partitionBy = Chance(15) ? " PARTITION BY b.name" : "";
                    var enriched = new FuzzQuery(sink, false, $"SELECT * FROM {sink}", null);
                    enriched.Sources.AddRange(["s1", "t1"]);
                    return new FuzzStep(FuzzKind.CreateQuery,
                        $"CREATE STREAM {sink} AS SELECT a.k AS k, a.v AS v, b.name AS name, b.n AS n FROM s1 a "
                        + $"{kind}JOIN "
                        + $"t1 b ON {on}{where}{partitionBy} EMIT CHANGES")
                    { Query = enriched };
                }
            default:
                {
                    var grouped = new FuzzQuery(sink, true, $"SELECT * FROM {sink}", null);
                    grouped.Sources.AddRange(["s1", "t1"]);
                    var window = Chance(30) ? " WINDOW TUMBLING (SIZE 10 SECONDS)" : "";
                    return new FuzzStep(FuzzKind.CreateQuery,
                        $"CREATE TABLE {sink} AS SELECT b.name AS name, COUNT(*) AS c, SUM(a.v) AS sv FROM s1 a "
                        + "JOIN t1 b "
                        + $"ON a.v = b.id{window} GROUP BY b.name EMIT CHANGES")
                    { Query = grouped };
                }
        }
    }

    /// <summary>Another writer into a stream sink: the same SELECT over the other stream (its rows join the
    /// oracle), or a SELECT of other columns (42804).</summary>
    private FuzzStep InsertSelect()
    {
        var targets = Queries.Where(q => q is { IsTable: false, Running: true, InsertTemplate: not null }).ToList();
        if (targets.Count == 0)
            return InsertStream();
        var target = targets[_random.Next(targets.Count)];
        var other = Pick("s1", "s2");
        var select = Chance(80) ? string.Format(System.Globalization.CultureInfo.InvariantCulture,
            target.InsertTemplate!, other) : $"SELECT k, v FROM {other}";
        return new FuzzStep(FuzzKind.InsertSelect, $"INSERT INTO {target.Sink} {select} EMIT CHANGES")
        {
            Apply = () =>
            {
                target.Oracles.Add(select);
                target.Sources.Add(other);
            },
        };
    }
}
