"""psycopg 3 sending the SQL of catalog queries and dashboards: subqueries, WITH [RECURSIVE], UNION, E'' strings,
= ANY(list parameter), extract / date_bin / generate_series, Grafana's $__timeGroup expansion."""
import datetime
import sys

import psycopg

port, name = sys.argv[1], sys.argv[2]
with psycopg.connect(f"host=127.0.0.1 port={port} user=query dbname=query", autocommit=True) as conn:
    conn.execute(f"CREATE STREAM {name} (host STRING KEY, ts TIMESTAMP, v DOUBLE)")
    conn.execute(f"INSERT INTO {name} VALUES ('a', TIMESTAMP '2024-01-01 10:00:10', 1.0), "
                 "('a', TIMESTAMP '2024-01-01 10:00:50', 2.0), ('b', TIMESTAMP '2024-01-01 10:01:05', 4.0)")
    rows = conn.execute(
        f"SELECT floor(extract(epoch from ts)/60)*60 AS \"time\", sum(v) FROM {name} "
        "WHERE ts BETWEEN %s AND %s GROUP BY 1 ORDER BY 1",
        [datetime.datetime(2024, 1, 1, 9), datetime.datetime(2024, 1, 1, 11)]).fetchall()
    assert [(int(t), s) for t, s in rows] == [(1704103200, 3.0), (1704103260, 4.0)], rows
    rows = conn.execute(f"SELECT host, v FROM {name} WHERE host = ANY(%s) AND v > "
                        f"(SELECT min(v) FROM {name} x WHERE x.host = {name}.host) ORDER BY v",
                        [["a", "b"]]).fetchall()
    assert rows == [("a", 2.0)], rows
    rows = conn.execute("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) "
                        "SELECT n FROM t UNION SELECT 10 ORDER BY 1 DESC").fetchall()
    assert [r[0] for r in rows] == [10, 5, 4, 3, 2, 1], rows
    assert conn.execute("SELECT E'a\\tb', 'x' || E'\\n'").fetchone() == ("a\tb", "x\n")
    bins = conn.execute("SELECT date_bin('15 minutes', ts, TIMESTAMP '2000-01-01 00:00:00') FROM "
                        f"{name} ORDER BY ts LIMIT 1").fetchone()[0]
    assert bins == datetime.datetime(2024, 1, 1, 10, 0), bins
    series = conn.execute("SELECT count(*) FROM generate_series(TIMESTAMP '2024-01-01 00:00:00', "
                          "TIMESTAMP '2024-01-02 00:00:00', INTERVAL '1 hour')").fetchone()[0]
    assert series == 25, series
    try:
        conn.execute(f"SELECT (SELECT v FROM {name})")
        raise AssertionError("a scalar subquery of three rows answered")
    except psycopg.Error as error:
        assert error.sqlstate == "21000", error.sqlstate
    assert conn.execute("SELECT 1").fetchone() == (1,)
print("ok")
