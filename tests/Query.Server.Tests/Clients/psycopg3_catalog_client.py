"""psycopg 3 against the server's system catalog: TypeInfo.fetch, pg_catalog and information_schema queries."""
import sys

import psycopg
from psycopg.types import TypeInfo

port, name = sys.argv[1], sys.argv[2]
with psycopg.connect(f"host=127.0.0.1 port={port} user=query dbname=query", autocommit=True) as conn:
    conn.execute(f"CREATE TABLE {name} (id INT PRIMARY KEY, label STRING, tags ARRAY<INT>)")
    # TypeInfo.fetch: binary results, the type's name as a parameter cast to regtype.
    info = TypeInfo.fetch(conn, "int4")
    assert (info.name, info.oid, info.array_oid) == ("int4", 23, 1007), info
    text = TypeInfo.fetch(conn, "text")
    assert (text.oid, text.array_oid) == (25, 1009), text
    assert TypeInfo.fetch(conn, "no_such_type") is None
    # The table is an ordinary table with its columns and primary key.
    rows = conn.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a "
        "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relname = %s AND a.attnum > 0 "
        "ORDER BY a.attnum", [name]).fetchall()
    assert rows == [("id", "integer", True), ("label", "text", False), ("tags", "integer[]", False)], rows
    columns = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = %s ORDER BY ordinal_position", [name]).fetchall()
    assert columns == [("id", "integer"), ("label", "text"), ("tags", "ARRAY")], columns
    key = conn.execute(
        "SELECT k.column_name FROM information_schema.table_constraints t "
        "JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name "
        "WHERE t.table_name = %s AND t.constraint_type = 'PRIMARY KEY'", [name]).fetchall()
    assert key == [("id",)], key
    # Result columns are named as PostgreSQL names them.
    cursor = conn.execute("SELECT 1, count(*) AS Total, current_user FROM pg_catalog.pg_namespace")
    assert [d.name for d in cursor.description] == ["?column?", "total", "current_user"], cursor.description
print("ok")
