package latch.db;

/** A database failure that is the server's fault, not the client's: it becomes a 500/503, never a 4xx. */
public final class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
