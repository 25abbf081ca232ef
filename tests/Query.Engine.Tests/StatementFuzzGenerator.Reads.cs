namespace Query.Engine.Tests;

/// <summary>Push queries, pull queries (joins, subqueries, ternary partitions) and prepared statements.</summary>
internal sealed partial class StatementFuzzGenerator
{
    private FuzzStep Push()
    {
        switch (_random.Next(5))
        {
            case 0 when Table.Count > 0:
                return new FuzzStep(FuzzKind.Push, "SELECT * FROM t1 EMIT CHANGES") { CountSql = "SELECT 1" };
            case 1:
                return new FuzzStep(FuzzKind.Push,
                    "SELECT k, COUNT(*) AS c, MAX(v) AS m FROM s1 GROUP BY k EMIT CHANGES")
                {
                    CountSql = "SELECT LEAST(COUNT(*), 1) FROM s1",
                };
            case 2:
                return new FuzzStep(FuzzKind.Push,
                    "SELECT k, WINDOWSTART AS ws, COUNT(*) AS c FROM s1 WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY k "
                    + "EMIT CHANGES")
                { CountSql = "SELECT LEAST(COUNT(*), 1) FROM s1" };
            default:
                {
                    var items = Projection();
                    var select = string.Join(", ", items.Select(i => $"{i.Expression} AS {i.Alias}"));
                    var source = Pick("s1", "s2");
                    var where = Chance(60) ? $" WHERE {Predicate()}" : "";
                    return new FuzzStep(FuzzKind.Push, $"SELECT {select} FROM {source}{where} EMIT CHANGES")
                    {
                        Twin = $"SELECT {select} FROM {source}{where}",
                        CountSql = $"SELECT COUNT(*) FROM {source}{where}",
                    };
                }
        }
    }

    private string TablePredicate(string q = "") => _random.Next(9) switch
    {
        0 => $"{q}id = {_random.Next(0, 10)}",
        1 => $"{q}id IN ({_random.Next(0, 10)}, {_random.Next(0, 10)}, NULL)",
        2 => $"({q}id = {_random.Next(0, 10)} OR {q}id = {_random.Next(0, 10)})",
        3 => $"{q}id {Pick("<", ">=", "<>")} {_random.Next(0, 10)}",
        4 => $"{q}name {Pick("", "NOT ")}LIKE {Pick("'a%'", "'%'", "'_b'")}",
        5 => $"{q}n IS {Pick("", "NOT ")}NULL",
        6 => $"({q}id = {_random.Next(0, 10)} AND {q}n > {_random.Next(-1, 5)})",
        7 => $"{q}n BETWEEN {_random.Next(-2, 3)} AND {_random.Next(2, 9)}",
        _ => $"{q}id = {q}n",
    };

    private FuzzStep Partition()
    {
        var (from, predicate) = _random.Next(6) switch
        {
            0 or 1 => (Pick("s1", "s2"), Predicate()),
            2 => ("t1", TablePredicate()),
            3 => ("s1 a JOIN t1 b ON a.v = b.id", Chance(50) ? Predicate("a.") : TablePredicate("b.")),
            4 => ("s1 a LEFT JOIN s2 b ON a.k = b.k", Predicate(Pick("a.", "b."))),
            _ => ("t1 a FULL JOIN t2 b ON a.id = b.id", Pick($"b.x > {_random.Next(0, 5)}", TablePredicate("a."))),
        };
        return new FuzzStep(FuzzKind.Partition, predicate) { From = from };
    }

    private FuzzStep PullQuery()
    {
        var sinks = Queries.Where(q => q.Running).ToList();
        if (sinks.Count > 0 && Chance(25))
        {
            var sink = sinks[_random.Next(sinks.Count)];
            var where = sink.IsTable ? Pick("", " WHERE k = 1", " WHERE id = 2", " WHERE c > 1", " WHERE name = 'a'")
                : Pick("", " WHERE k = 1", " WHERE c0 IS NULL", " WHERE ROWTIME > 0");
            return new FuzzStep(FuzzKind.Plain, $"SELECT * FROM {sink.Sink}{where}{Pick("", " LIMIT 2")}");
        }
        var join = Pick("JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN");
        return new FuzzStep(FuzzKind.Plain, _random.Next(11) switch
        {
            0 => $"SELECT a.k, b.name, a.v FROM s1 a {join} t1 b ON a.v = b.id WHERE {Predicate("a.")} ORDER BY 1, 3",
            1 => $"SELECT k, v FROM s1 WHERE v IN (SELECT id FROM t1 WHERE {TablePredicate()})",
            2 => "SELECT k, (SELECT MAX(n) FROM t1 WHERE t1.id = s1.k) AS m FROM s1",
            3 => $"SELECT k FROM s1 WHERE {Pick("", "NOT ")}EXISTS (SELECT 1 FROM s2 WHERE s2.k = s1.k "
                + "AND s2.v > s1.v)",
            4 => "WITH x AS (SELECT k, COUNT(*) AS c FROM s1 GROUP BY k) SELECT * FROM x JOIN t1 ON x.k = t1.id",
            5 => $"SELECT k FROM s1 {Pick("UNION", "UNION ALL", "EXCEPT", "INTERSECT")} SELECT id FROM t1",
            6 => $"SELECT * FROM (SELECT k, v FROM s1 WHERE {Predicate()}) sub WHERE sub.k < {_random.Next(0, 8)}",
            7 => $"SELECT k, v, {Pick("ROW_NUMBER()", "RANK()", "SUM(v)", "LAG(v)")} OVER (PARTITION BY k ORDER BY v) "
                + "AS w FROM s1",
            8 => $"SELECT a.name, COUNT(*), SUM(b.x) FROM t1 a {join} t2 b ON a.id = b.id GROUP BY a.name "
                + "HAVING COUNT(*) > 0 ORDER BY 2 DESC LIMIT 3",
            9 => $"SELECT a.k, b.k FROM s1 a, s2 b WHERE a.k = b.k AND {Predicate("b.")} LIMIT 5",
            _ => $"EXPLAIN SELECT a.k, b.name FROM s1 a {join} t1 b ON a.v = b.id WHERE {TablePredicate("b.")}",
        });
    }

    private object? Parameter() => _random.Next(16) switch
    {
        0 => "abc",
        1 => "1",
        2 => 1,
        3 => 1.5,
        4 => true,
        5 => long.MaxValue,
        6 => int.MinValue,
        7 => new byte[] { 1, 2 },
        8 => DateTime.UnixEpoch,
        9 => null,
        10 => "",
        11 => new object?[] { 1, null },
        12 => 1e20m,
        13 => "NaN",
        14 => double.NaN,
        _ => "2024-01-01 00:00:00",
    };

    private FuzzStep Prepared()
    {
        var (sql, count) = _random.Next(11) switch
        {
            0 => ("SELECT k, v FROM s1 WHERE v = $1", 1),
            1 => ("SELECT * FROM t1 WHERE id = $1", 1),
            2 => ("SELECT * FROM t1 WHERE id IN ($1, $2)", 2),
            3 => ("INSERT INTO s2 (k, v, d, s, f) VALUES ($1, $2, $3, $4, $5)", 5),
            4 => ("DELETE FROM t2 WHERE id = $1", 1),
            5 => ("SELECT k FROM s1 WHERE s LIKE $1", 1),
            6 => ("SELECT $1 + v FROM s1", 1),
            7 => ("SELECT k FROM s1 WHERE ROWTIME > $1", 1),
            8 => ("SELECT k FROM s1 LIMIT $1", 1),
            9 => ("INSERT INTO t2 VALUES ($1, $2)", 2),
            _ => ("SELECT a.k FROM s1 a JOIN t1 b ON a.v = b.id WHERE b.n = $1", 1),
        };
        var parameters = new object?[Chance(10) ? count - 1 : count];
        for (var i = 0; i < parameters.Length; i++)
            parameters[i] = Parameter();
        return new FuzzStep(FuzzKind.Prepared, sql) { Parameters = parameters };
    }
}
