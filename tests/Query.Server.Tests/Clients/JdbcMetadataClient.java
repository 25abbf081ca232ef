import java.sql.*;
import java.util.*;

/**
 * pgjdbc's DatabaseMetaData, as DBeaver and Metabase call it on connect. Usage: PORT NAME PART, PART one of
 * schemas, tables, columns, keys, types, browse. Prints "ok" when every check of the part holds.
 */
public class JdbcMetadataClient {
    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/query";
        String name = args[1];
        String part = args[2];
        try (Connection conn = DriverManager.getConnection(url, "query", "")) {
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, ts TIMESTAMP, user_id INT, "
                    + "tags ARRAY<INT>, note STRING)");
            }
            DatabaseMetaData meta = conn.getMetaData();
            switch (part) {
                case "schemas" -> schemas(meta);
                case "tables" -> tables(meta, name);
                case "columns" -> columns(meta, name);
                case "keys" -> keys(meta, name);
                case "types" -> types(meta);
                case "browse" -> browse(conn, meta, name);
                default -> throw new IllegalArgumentException(part);
            }
        }
        System.out.println("ok");
    }

    private static void check(boolean condition, String what) {
        if (!condition)
            throw new AssertionError(what);
    }

    private static void schemas(DatabaseMetaData meta) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = meta.getSchemas()) {
            while (rs.next())
                schemas.add(rs.getString("TABLE_SCHEM"));
        }
        check(schemas.contains("public") && schemas.contains("pg_catalog"), "schemas " + schemas);
    }

    private static void tables(DatabaseMetaData meta, String name) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
            while (rs.next())
                types.put(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
        }
        check("TABLE".equals(types.get("public." + name)), "tables " + types);
    }

    private static void columns(DatabaseMetaData meta, String name) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, null, name, "%")) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME") + ":" + rs.getInt("DATA_TYPE")
                    + ":" + rs.getInt("ORDINAL_POSITION") + ":" + rs.getString("IS_NULLABLE"));
            }
        }
        List<String> expected = List.of("id:int8:" + Types.BIGINT + ":1:NO", "ts:timestamp:" + Types.TIMESTAMP + ":2:YES",
            "user_id:int4:" + Types.INTEGER + ":3:YES", "tags:_int4:" + Types.ARRAY + ":4:YES",
            "note:text:" + Types.VARCHAR + ":5:YES");
        check(columns.equals(expected), "columns " + columns);
    }

    private static void keys(DatabaseMetaData meta, String name) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, "public", name)) {
            while (rs.next())
                keys.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("KEY_SEQ") + ":" + rs.getString("PK_NAME"));
        }
        check(keys.equals(List.of("id:1:" + name + "_pkey")), "keys " + keys);
    }

    private static void types(DatabaseMetaData meta) throws SQLException {
        Map<String, Integer> types = new HashMap<>();
        try (ResultSet rs = meta.getTypeInfo()) {
            while (rs.next())
                types.put(rs.getString("TYPE_NAME"), rs.getInt("DATA_TYPE"));
        }
        check(types.get("int4") == Types.INTEGER && types.get("int8") == Types.BIGINT
            && types.get("text") == Types.VARCHAR && types.get("_int4") == Types.ARRAY
            && types.get("timestamp") == Types.TIMESTAMP, "types " + types);
    }

    /** What DBeaver calls next when a table is opened: keys, indexes, functions, procedures, MAP / STRUCT columns. */
    private static void browse(Connection conn, DatabaseMetaData meta, String name) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE STREAM " + name + "_s (id INT KEY, m MAP<STRING, INT>, s STRUCT<a INT, b STRING>)");
        }
        try (ResultSet rs = meta.getImportedKeys(null, "public", name)) {
            check(rs.getMetaData().getColumnCount() == 14 && !rs.next(), "imported keys");
        }
        try (ResultSet rs = meta.getExportedKeys(null, "public", name)) {
            check(rs.getMetaData().getColumnCount() == 14 && !rs.next(), "exported keys");
        }
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs = meta.getIndexInfo(null, "public", name, false, false)) {
            while (rs.next())
                indexes.add(rs.getString("INDEX_NAME") + ":" + rs.getString("COLUMN_NAME") + ":" + rs.getBoolean("NON_UNIQUE")
                    + ":" + rs.getString("ASC_OR_DESC"));
        }
        check(indexes.equals(List.of(name + "_pkey:id:false:A")), "indexes " + indexes);
        try (ResultSet rs = meta.getFunctions(null, "public", "%")) {
            check(rs.getMetaData().getColumnCount() == 6, "functions");
            while (rs.next())
                rs.getString("FUNCTION_NAME");
        }
        try (ResultSet rs = meta.getProcedures(null, "public", "%")) {
            while (rs.next())
                rs.getString("PROCEDURE_NAME");
        }
        List<String> tableTypes = new ArrayList<>();
        try (ResultSet rs = meta.getTableTypes()) {
            while (rs.next())
                tableTypes.add(rs.getString(1));
        }
        check(tableTypes.contains("TABLE"), "table types " + tableTypes);
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, null, name + "_s", "%")) {
            while (rs.next())
                columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
        }
        check(columns.equals(List.of("id:int4", "m:json", "s:json")), "map and struct columns " + columns);
        try (PreparedStatement ps = conn.prepareStatement("SELECT m, s FROM " + name + "_s WHERE id = ANY(?)")) {
            ps.setArray(1, conn.createArrayOf("int4", new Integer[] {1, 2}));
            try (ResultSet rs = ps.executeQuery()) {
                check(!rs.next(), "empty stream");
            }
        }
    }
}
