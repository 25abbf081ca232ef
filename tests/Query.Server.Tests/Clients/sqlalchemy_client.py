"""SQLAlchemy 1.4 (psycopg2, its default PostgreSQL driver) and pandas against the server, as their users start.

Usage: sqlalchemy_client.py PORT NAME PART, PART one of connect, inspect, pandas_query, pandas_table, nested.
"""
import datetime
import decimal
import sys

import pandas as pd
import sqlalchemy
from sqlalchemy import inspect, text

port, name, part = sys.argv[1], sys.argv[2], sys.argv[3]
engine = sqlalchemy.create_engine(f"postgresql://query@127.0.0.1:{port}/query")

with engine.connect() as conn:
    # The first connect runs the dialect's set-up: the hstore OID lookup, version(), current_schema(), SHOWs.
    assert engine.dialect.server_version_info[0] == 15, engine.dialect.server_version_info
    conn.execute(text(f"CREATE TABLE {name} (id BIGINT PRIMARY KEY, ts TIMESTAMP, user_id INT, "
                      "tags ARRAY<INT>, note STRING)"))
    conn.execute(text(f"INSERT INTO {name} (id, ts, user_id, tags, note) "
                      "VALUES (1, '2026-12-06T10:00:00', 7, ARRAY[1, 2], 'first')"))

if part == "connect":
    with engine.connect() as conn:
        result = conn.execute(text(f"SELECT id, user_id AS Who, count(*) FROM {name} GROUP BY id, user_id"))
        assert list(result.keys()) == ["id", "who", "count"], list(result.keys())
        assert [tuple(r) for r in result] == [(1, 7, 1)]

elif part == "inspect":
    inspector = inspect(engine)
    assert name in inspector.get_table_names(), inspector.get_table_names()
    assert "public" in inspector.get_schema_names(), inspector.get_schema_names()
    columns = inspector.get_columns(name)
    assert [c["name"] for c in columns] == ["id", "ts", "user_id", "tags", "note"], columns
    types = [type(c["type"]).__name__ for c in columns]
    assert types == ["BIGINT", "TIMESTAMP", "INTEGER", "ARRAY", "TEXT"], types
    assert [c["nullable"] for c in columns] == [False, True, True, True, True], columns
    key = inspector.get_pk_constraint(name)
    assert key["constrained_columns"] == ["id"] and key["name"] == f"{name}_pkey", key
    assert inspector.get_foreign_keys(name) == []
    assert inspector.get_indexes(name) == []
    assert inspector.has_table(name) and not inspector.has_table("no_such_relation")

elif part == "pandas_query":
    frame = pd.read_sql_query(f"SELECT id, user_id AS Who, tags FROM {name}", engine)
    assert list(frame.columns) == ["id", "who", "tags"], list(frame.columns)
    assert frame.iloc[0]["who"] == 7 and list(frame.iloc[0]["tags"]) == [1, 2], frame
    rows = pd.DataFrame({"id": [2, 3], "ts": [datetime.datetime(2026, 12, 6, 11), None], "user_id": [8, 9],
                         "note": ["second", "third"]})
    assert rows.to_sql(name, engine, if_exists="append", index=False) in (None, 2)
    after = pd.read_sql_query(f"SELECT id, note FROM {name} ORDER BY id", engine)
    assert after["note"].tolist() == ["first", "second", "third"], after

elif part == "pandas_table":
    frame = pd.read_sql_table(name, engine)
    assert list(frame.columns) == ["id", "ts", "user_id", "tags", "note"], list(frame.columns)
    assert frame.iloc[0]["note"] == "first" and frame.iloc[0]["ts"] == pd.Timestamp("2026-12-06 10:00:00"), frame
    pd.DataFrame({"id": [4], "user_id": [10], "note": ["fourth"]}).to_sql(
        name, engine, if_exists="append", index=False)
    assert len(pd.read_sql_table(name, engine)) == 2
elif part == "nested":
    # Reflection of ARRAY / MAP / STRUCT columns, then to_sql appends of timestamps (naive, NaT, tz-aware) and
    # decimals, read back by read_sql_table.
    nested = name + "_n"
    with engine.connect() as conn:
        conn.execute(text(f"CREATE STREAM {nested} (id INT KEY, tags ARRAY<INT>, m MAP<STRING, INT>, "
                          "s STRUCT<a INT, b STRING>, ts TIMESTAMP, amount DECIMAL(10, 2))"))
    columns = [(c["name"], str(c["type"])) for c in inspect(engine).get_columns(nested)]
    assert columns == [("id", "INTEGER"), ("tags", "ARRAY"), ("m", "JSON"), ("s", "JSON"), ("ts", "TIMESTAMP"),
                       ("amount", "NUMERIC(10, 2)")], columns
    reflected = sqlalchemy.Table(nested, sqlalchemy.MetaData(), autoload_with=engine)
    assert reflected.columns.keys() == ["id", "tags", "m", "s", "ts", "amount"], reflected.columns.keys()
    pd.DataFrame({"id": [1, 2], "ts": [datetime.datetime(2024, 1, 1, 10, 0, 0, 123000), pd.NaT],
                  "amount": [decimal.Decimal("1.25"), decimal.Decimal("3.50")]}).to_sql(
        nested, engine, if_exists="append", index=False)
    pd.DataFrame({"id": [3], "ts": [pd.Timestamp("2024-02-01 00:00:00", tz="UTC")], "amount": [2.5]}).to_sql(
        nested, engine, if_exists="append", index=False)
    frame = pd.read_sql_table(nested, engine).sort_values("id")
    assert list(frame["amount"]) == [decimal.Decimal("1.25"), decimal.Decimal("3.50"), decimal.Decimal("2.50")], frame
    assert list(frame["ts"].astype(str)) == ["2024-01-01 10:00:00.123", "NaT", "2024-02-01 00:00:00.000"], frame
else:
    raise SystemExit(f"unknown part {part}")
print("ok")
