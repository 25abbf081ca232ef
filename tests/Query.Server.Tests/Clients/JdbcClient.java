import java.sql.*;

/** Drives the server with pgjdbc: connect, DDL, parameters, an error that keeps the connection, a streamed push query. */
public class JdbcClient {
    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/query";
        String name = args[1];
        try (Connection conn = DriverManager.getConnection(url, "query", "")) {
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE STREAM " + name + " (id BIGINT, label STRING)");
            }
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + name + " (id, label) VALUES (?, ?)")) {
                for (int i = 1; i <= 6; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, "row " + i);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = conn.prepareStatement("SELECT label FROM " + name + " WHERE id = ?")) {
                ps.setLong(1, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next() && rs.getString(1).equals("row 2"), "parameterised select");
                }
            }
            try (Statement st = conn.createStatement()) {
                st.executeQuery("SELECT * FROM no_such_stream_jdbc");
                throw new AssertionError("expected an error");
            } catch (SQLException e) {
                check("42P01".equals(e.getSQLState()), "sqlstate " + e.getSQLState());
            }
            // A push query streams with a fetch size inside a transaction (portal + Execute(n) + PortalSuspended).
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                st.setFetchSize(2);
                try (ResultSet rs = st.executeQuery(
                        "SELECT id FROM " + name + " WHERE ROWOFFSET >= 0 EMIT CHANGES LIMIT 5")) {
                    long sum = 0;
                    while (rs.next()) sum += rs.getLong(1);
                    check(sum == 15, "push sum " + sum);
                }
            }
            conn.commit();
        }
        System.out.println("ok");
    }

    private static void check(boolean condition, String what) {
        if (!condition) throw new AssertionError(what);
    }
}
