package latch.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a {@link Database} borrows its connections: a fixed set of SQLite connections, or a PostgreSQL pool. */
interface ConnectionPool extends AutoCloseable {
    /** A connection, or null when none came free within {@code timeoutMs}. */
    Connection take(long timeoutMs) throws SQLException, InterruptedException;

    void give(Connection c);

    int size();

    @Override
    void close();
}
