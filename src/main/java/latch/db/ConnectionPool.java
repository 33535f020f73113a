package latch.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

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

    /** The pool as a {@link DataSource}, for a library that borrows connections itself; none for SQLite's fixed set. */
    default Optional<DataSource> dataSource() {
        return Optional.empty();
    }

    @Override
    void close();
}
