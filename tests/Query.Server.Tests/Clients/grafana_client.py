"""Grafana's PostgreSQL data source, its queries sent verbatim over the simple protocol (as lib/pq sends them).

Usage: grafana_client.py PORT NAME PART, PART one of config, builder, panel.
"""
import sys

import psycopg2

port, name, part = sys.argv[1], sys.argv[2], sys.argv[3]
conn = psycopg2.connect(host="127.0.0.1", port=int(port), user="query", dbname="query")
conn.autocommit = True
cur = conn.cursor()
cur.execute(f"CREATE STREAM {name} (host STRING KEY, ts TIMESTAMP, cpu DOUBLE) WITH (TIMESTAMP = 'ts')")
cur.execute(f"INSERT INTO {name} (host, ts, cpu) VALUES ('a', '2026-12-06T10:00:05', 1.0), "
            "('b', '2026-12-06T10:00:50', 3.0), ('a', '2026-12-06T10:01:10', 5.0), "
            "('a', '2026-12-06T10:09:00', 7.0)")

SEARCH_PATH = """
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )"""


def rows(sql):
    cur.execute(sql)
    return cur.fetchall()


if part == "config":
    # The data source's config page: the server version and whether TimescaleDB is there.
    assert rows("SELECT current_setting('server_version_num')::int/100 as version") == [(1500,)]
    assert rows("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'") == []
elif part == "builder":
    # The query builder's table list and the column list of the chosen table (postgresMetaQuery.ts).
    tables = rows(f"""SELECT
    CASE WHEN {SEARCH_PATH}
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN {SEARCH_PATH} THEN 0 ELSE 1 END, 1""")
    assert (name,) in tables, tables
    columns = rows(f"""SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('{name}'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('{name}'))[1]
          AND quote_ident(table_name) = (parse_ident('{name}'))[2]
        ELSE quote_ident(table_name) = '{name}'
          AND {SEARCH_PATH}
      END""")
    assert columns == [("host", "text"), ("ts", "timestamp without time zone"), ("cpu", "double precision")], columns
elif part == "panel":
    # A time-series panel: $__timeGroupAlias(ts,'1m') and $__timeFilter(ts) expanded as Grafana expands them.
    series = rows(f"""SELECT floor(extract(epoch from ts)/60)*60 AS "time", avg(cpu) AS "cpu"
    FROM {name}
    WHERE ts BETWEEN '2026-12-06T10:00:00Z' AND '2026-12-06T10:05:00Z'
    GROUP BY 1
    ORDER BY 1""")
    assert [(int(t), v) for t, v in series] == [(1796551200, 2.0), (1796551260, 5.0)], series
else:
    raise SystemExit(f"unknown part {part}")
print("ok")
