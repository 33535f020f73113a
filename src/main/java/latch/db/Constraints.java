package latch.db;

import java.sql.SQLException;

/** Reads a refused write the same way on both databases. */
public final class Constraints {
    private static final int SQLITE_CONSTRAINT = 19;
    private static final String POSTGRES_UNIQUE_VIOLATION = "23505";

    private Constraints() {}

    /** True when a unique index or primary key refused the write: a duplicate, decided in the same statement. */
    public static boolean isDuplicate(SQLException e) {
        if (POSTGRES_UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return true;
        }
        // SQLite reports every constraint under one code; its message says which kind.
        return e.getErrorCode() == SQLITE_CONSTRAINT && e.getMessage() != null
                && (e.getMessage().contains("UNIQUE constraint failed") || e.getMessage().contains("PRIMARY KEY"));
    }
}
