using System.Globalization;
using System.Text;

namespace Query.Engine.Tests;

/// <summary>Writes to the modelled table t1 and to t2, and DDL: TERMINATE, DROP while queries run, CREATE OR
/// REPLACE, ALTER over scratch streams, SHOW / EXPLAIN / DESCRIBE.</summary>
internal sealed partial class StatementFuzzGenerator
{
    private int _scratch;

    private FuzzStep TableWrite()
    {
        if (Chance(20))
        {
            return new FuzzStep(FuzzKind.Plain, Chance(70)
                ? $"INSERT INTO t2 VALUES ({_random.Next(0, 10)}, {Literal("INT")})"
                : $"DELETE FROM t2 WHERE id = {_random.Next(0, 10)}");
        }
        if (Chance(20))
            return Delete();
        var mode = _random.Next(4);
        var count = _random.Next(1, 5);
        var rows = new List<(int? Id, string? Name, int? N)>();
        for (var i = 0; i < count; i++)
        {
            int? id = Chance(3) ? null : _random.Next(0, 10);
            if (mode >= 2 && rows.Any(r => r.Id == id))
                continue; // DO UPDATE meeting one key twice is 21000; the model keeps to distinct keys there
            rows.Add((id, Pick<string?>(null, "a", "ab", "b", "ba"), Chance(15) ? null : _random.Next(-2, 8)));
        }
        var values = new StringBuilder();
        foreach (var (id, name, n) in rows)
        {
            values.Append(values.Length == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture,
                $"({(id is null ? "NULL" : id)}, {(name is null ? "NULL" : $"'{name}'")}, {(n is null ? "NULL" : n)})");
        }
        var withWhere = mode == 3;
        var conflict = mode switch
        {
            0 => "",
            1 => Pick(" ON CONFLICT DO NOTHING", " ON CONFLICT (id) DO NOTHING"),
            _ => " ON CONFLICT (id) DO UPDATE SET n = COALESCE(t1.n, 0) + COALESCE(excluded.n, 0), "
                + "name = excluded.name" + (withWhere ? " WHERE t1.n IS NULL OR t1.n < excluded.n" : ""),
        };
        if (rows.Any(r => r.Id is null))
        {
            return new FuzzStep(FuzzKind.TableWrite, $"INSERT INTO t1 VALUES {values}{conflict}")
            {
                ExpectedState = "23502",
            };
        }
        var written = 0;
        var after = new Dictionary<int, (string?, int?)>(Table);
        foreach (var (id, name, n) in rows)
        {
            var key = id!.Value;
            if (mode == 0 || !after.TryGetValue(key, out var old))
            {
                after[key] = (name, n);
                written++;
            }
            else if (mode >= 2 && (!withWhere || old.Item2 is null || (n is not null && old.Item2 < n)))
            {
                after[key] = (name, (old.Item2 ?? 0) + (n ?? 0));
                written++;
            }
        }
        return new FuzzStep(FuzzKind.TableWrite, $"INSERT INTO t1 VALUES {values}{conflict}")
        {
            ExpectedTag = $"INSERT 0 {written}",
            Apply = () => Replace(after),
        };
    }

    private void Replace(Dictionary<int, (string?, int?)> rows)
    {
        Table.Clear();
        foreach (var (key, value) in rows)
            Table[key] = value;
    }

    private FuzzStep Delete()
    {
        var keys = new HashSet<int>();
        string where;
        switch (_random.Next(4))
        {
            case 0:
                where = "";
                keys.UnionWith(Table.Keys);
                break;
            case 1:
                var one = _random.Next(0, 10);
                where = $" WHERE id = {one}";
                keys.Add(one);
                break;
            case 2:
                var (a, b) = (_random.Next(0, 10), _random.Next(0, 10));
                where = $" WHERE id = {a} OR id = {b}";
                keys.UnionWith([a, b]);
                break;
            default:
                var list = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => _random.Next(0, 10)).ToList();
                where = $" WHERE id IN ({string.Join(", ", list)})";
                keys.UnionWith(list);
                break;
        }
        var deleted = keys.Count(Table.ContainsKey);
        return new FuzzStep(FuzzKind.TableWrite, $"DELETE FROM t1{where}")
        {
            ExpectedTag = $"DELETE {deleted}",
            Apply = () =>
            {
                foreach (var key in keys)
                    Table.Remove(key);
            },
        };
    }

    private FuzzStep Terminate()
    {
        var running = Queries.Where(q => q.Running).ToList();
        if (running.Count == 0)
            return Show();
        if (Chance(5))
            return new FuzzStep(FuzzKind.Terminate, "TERMINATE ALL");
        var query = running[_random.Next(running.Count)];
        return new FuzzStep(FuzzKind.Terminate, query.Sink) { Query = query };
    }

    private FuzzStep DropInUse()
    {
        var running = Queries.Where(q => q.Running).ToList();
        if (running.Count == 0)
            return Scratch();
        var query = running[_random.Next(running.Count)];
        var name = Chance(50) ? query.Sink : query.Sources[_random.Next(query.Sources.Count)];
        var isTable = name.StartsWith('t') || Queries.Any(q => q.Sink == name && q.IsTable);
        return new FuzzStep(FuzzKind.DropInUse, $"DROP {(isTable ? "TABLE" : "STREAM")} {name}");
    }

    /// <summary>DDL sequences over two scratch streams (x1, x2) and a query over each (y1, y2).</summary>
    private FuzzStep Scratch()
    {
        var n = _random.Next(1, 3);
        var x = $"x{n}";
        var y = $"y{n}_{++_scratch}";
        switch (_random.Next(11))
        {
            case 9:
                return new FuzzStep(FuzzKind.Prepared, Pick($"SELECT * FROM {x} WHERE v > $1",
                    $"INSERT INTO {x} (k, v) VALUES ($1, $2)", $"SELECT k, COUNT(*) FROM {x} WHERE k = $1 GROUP BY k",
                    $"INSERT INTO {x} (k, v) VALUES (1, $1)"))
                {
                    Parameters = [Pick<object?>(1, "2", "x", null), Pick<object?>(3, "4", null)],
                    Held = true,
                };
            case 10:
                var sinks = Queries.Where(q => !q.Running).ToList();
                if (sinks.Count == 0)
                    return Show();
                // A sink of a terminated (maybe dropped) query, created again with other columns.
                var old = sinks[_random.Next(sinks.Count)];
                var again = new FuzzQuery(old.Sink, false, $"SELECT k, c0 FROM {old.Sink}",
                    $"SELECT k, s AS c0 FROM s1");
                again.Sources.Add("s1");
                return new FuzzStep(FuzzKind.CreateQuery,
                    $"CREATE STREAM {old.Sink} AS SELECT k, s AS c0 FROM s1 EMIT CHANGES")
                { Query = again };
            case 0:
                return new FuzzStep(FuzzKind.Plain, $"CREATE STREAM {Pick("", "IF NOT EXISTS ")}{x} (k INT KEY, v INT) "
                    + "WITH (PARTITIONS = 1)");
            case 1:
                return new FuzzStep(FuzzKind.Plain,
                    $"CREATE OR REPLACE STREAM {x} (k INT KEY, v INT, {Pick("e STRING", "e INT, g BOOLEAN")})");
            case 2:
                return new FuzzStep(FuzzKind.Plain, $"CREATE OR REPLACE STREAM {x} (k STRING KEY, v INT)");
            case 3:
                return new FuzzStep(FuzzKind.Plain,
                    $"INSERT INTO {x} (k, v) VALUES ({_random.Next(5)}, {Literal("INT")})");
            case 4:
                return new FuzzStep(FuzzKind.Plain,
                    $"DROP STREAM {Pick("", "IF EXISTS ")}{x}{Pick("", " DELETE TOPIC")}");
            case 5:
                return new FuzzStep(FuzzKind.Plain, $"ALTER STREAM {x} ADD COLUMN z{_random.Next(3)} INT");
            case 6:
                var query = new FuzzQuery(y, false, $"SELECT k, v FROM {y}", $"SELECT k, v FROM {x}");
                query.Sources.Add(x);
                return new FuzzStep(FuzzKind.CreateQuery, $"CREATE STREAM {y} AS SELECT * FROM {x} EMIT CHANGES")
                {
                    Query = query,
                };
            case 7:
                var replaced = Queries.Where(q => q is { Running: true, IsTable: false, Sink: ['q', ..] }).ToList();
                if (replaced.Count == 0)
                    return Show();
                var target = replaced[_random.Next(replaced.Count)];
                return new FuzzStep(FuzzKind.Plain, $"CREATE OR REPLACE STREAM {target.Sink} AS SELECT * FROM "
                    + $"{Pick("s1", "s2")} {Pick("", "WHERE v > 2 ")}EMIT CHANGES")
                { Query = target };
            default:
                return new FuzzStep(FuzzKind.Plain, $"SELECT * FROM {x}");
        }
    }

    private FuzzStep Show()
    {
        var running = Queries.Where(q => q.Running).ToList();
        var sink = running.Count > 0 ? running[_random.Next(running.Count)].Sink : "s1";
        return new FuzzStep(FuzzKind.Plain, _random.Next(6) switch
        {
            0 => "SHOW QUERIES EXTENDED",
            1 => $"DESCRIBE EXTENDED {sink}",
            2 => "SHOW STREAMS",
            3 => "SHOW TABLES",
            4 => $"EXPLAIN SELECT * FROM {sink} WHERE k = 1",
            _ => "DESCRIBE EXTENDED t1",
        });
    }

    /// <summary>A fresh scratch stream z (or table zt) and statements on it run at once from several sessions.
    /// </summary>
    private FuzzStep Concurrent()
    {
        var z = $"z{++_scratch}";
        if (Chance(30))
        {
            var increment = $"INSERT INTO {z} VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = {z}.n + 1";
            return new FuzzStep(FuzzKind.Concurrent,
                $"CREATE TABLE {z} (id INT PRIMARY KEY, n INT) WITH (PARTITIONS = 2)")
            {
                Together = [increment, increment, increment],
                Counter = z,
            };
        }
        var rows = string.Join(", ", Enumerable.Range(0, 200).Select(i => $"({i % 7}, {i})"));
        string[] pool =
        [
            $"SELECT COUNT(*) FROM {z}", $"SELECT * FROM {z} ORDER BY v DESC LIMIT 5", $"INSERT INTO {z} VALUES (1, 1)",
            $"CREATE STREAM {z}_o AS SELECT * FROM {z} EMIT CHANGES", $"SELECT * FROM {z} EMIT CHANGES LIMIT 1000",
            $"ALTER STREAM {z} ADD COLUMN w INT", $"CREATE OR REPLACE STREAM {z} (k INT KEY, v INT, e STRING)",
            $"SELECT k, COUNT(*) FROM {z} GROUP BY k",
            $"CREATE TABLE {z}_a AS SELECT k, COUNT(*) AS c FROM {z} GROUP BY k EMIT CHANGES",
            $"SELECT a.k, b.v FROM {z} a JOIN {z} b ON a.v = b.v", $"DESCRIBE EXTENDED {z}",
        ];
        var together = new List<string>();
        if (Chance(70))
            together.Add($"DROP STREAM {z}");
        while (together.Count < _random.Next(2, 5))
            together.Add(Pick(pool));
        return new FuzzStep(FuzzKind.Concurrent,
            $"CREATE STREAM {z} (k INT KEY, v INT) WITH (PARTITIONS = 2);INSERT INTO {z} VALUES {rows}")
        {
            Together = [.. together],
        };
    }
}
