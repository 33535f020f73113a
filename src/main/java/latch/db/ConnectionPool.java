package latch.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a {@link Database} borrows its connections: a fixed set of SQLite connections, or a PostgreSQL pool. */
interface ConnectionPool extends AutoCloseable {
    /** A connection, or null when none came free within {@code timeoutMs}. */
    Connection take(long timeoutMs) throws SQLException, InterruptedException;

    void give(Connection c);

    int size();

    /** A connection of its own, outside the pool, for a session that must stay put (LISTEN); null if unsupported. */
    default Connection dedicated() throws SQLException {
        return null;
    }

    @Override
    void close();
}
