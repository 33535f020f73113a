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
    private final List<Runnable> beforeCommit = new ArrayList<>();
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

    /**
     * Makes the writers of one invariant ({@code what} for {@code key}, e.g. "client token cap" for a user) take
     * turns until this transaction ends. A conditional statement over other rows (insert while fewer than n exist)
     * is one statement, but under PostgreSQL's READ COMMITTED two of them can each count before the other's row
     * exists; after the turn is taken the statement counts what the previous holder committed. SQLite's write lock
     * already makes every writer take turns.
     */
    public void takeTurns(String what, long key) {
        if (dialect != Dialect.POSTGRES) {
            return;
        }
        try (var ps = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, ?))")) {
            ps.setString(1, what);
            ps.setLong(2, key);
            ps.execute();
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    /**
     * Runs {@code action} inside the transaction once its work is done, just before the commit, in the order
     * registered; a failure rolls everything back. For writes that must come last (the change log's row).
     */
    public void beforeCommit(Runnable action) {
        beforeCommit.add(action);
    }

    void runBeforeCommit() {
        for (int i = 0; i < beforeCommit.size(); i++) {
            beforeCommit.get(i).run();
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
