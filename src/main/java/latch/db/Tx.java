package latch.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One open transaction, handed explicitly to every store call that must be part of it: a service that changes
 * several stores together opens one and passes it on, so what commits together is visible in the code. Work that
 * must only happen once the change is durable (telling caches, writing the audit log) waits in {@link #afterCommit}.
 */
public final class Tx {
    private final Connection connection;
    private final Dialect dialect;
    private final List<Runnable> afterCommit = new ArrayList<>();

    Tx(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /** Which SQL the transaction speaks, for the few statements the two databases write differently. */
    public Dialect dialect() {
        return dialect;
    }

    public PreparedStatement prepare(String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    public Connection connection() {
        return connection;
    }

    /** Runs one parameterised statement and returns how many rows it changed. */
    public int update(String sql, Object... params) {
        try (var ps = bound(sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    /** Runs a query (or a statement with RETURNING) and returns the first column of every row as text. */
    public List<String> strings(String sql, Object... params) {
        try (var ps = bound(sql, params); var rs = ps.executeQuery()) {
            var out = new ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    private PreparedStatement bound(String sql, Object... params) throws SQLException {
        var ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** Runs {@code action} after a successful commit, in the order registered; never if the transaction rolls back. */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    List<Runnable> committed() {
        return afterCommit;
    }
}
