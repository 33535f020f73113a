package latch.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** A database operation failed; {@link #unavailable()} tells a database that is away from a statement that is wrong. */
public final class DatabaseException extends RuntimeException {
    private final boolean away;

    public DatabaseException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private DatabaseException(String message, Throwable cause, boolean away) {
        super(message, cause);
        this.away = away || reachable(cause);
    }

    /** The database could not answer (a library that hides the driver's error said so); a 503, not a 500. */
    public static DatabaseException away(String message, Throwable cause) {
        return new DatabaseException(message, cause, true);
    }

    /** No connection came free in time: the pool is exhausted or the server does not answer. */
    static DatabaseException noConnection(String message) {
        return new DatabaseException(message, null, true);
    }

    /**
     * True when the database could not be reached or was too busy to answer, rather than refusing a statement: the
     * request may succeed if tried again shortly (HTTP 503 with Retry-After, not 500).
     */
    public boolean unavailable() {
        return away;
    }

    private static boolean reachable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // 08: connection exceptions; 57P01-03: the server shutting down or starting; 53300: too many clients.
                if (state != null && (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300"))) {
                    return true;
                }
                // SQLite's busy timeout passed while another process held the write lock.
                if (sql.getErrorCode() == 5 && sql.getMessage() != null && sql.getMessage().contains("SQLITE_BUSY")) {
                    return true;
                }
            }
        }
        return false;
    }
}
