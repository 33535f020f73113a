package latch.db;

/**
 * The SQL database family behind a {@link Database}. Stores write statements both understand; the few places that
 * cannot (text search, file-level work) ask which one they talk to. Migrations live in one folder per dialect.
 */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRES("postgres");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /**
     * A column that orders rows as they were inserted, to break ties between rows made in the same second: SQLite's
     * rowid, and on PostgreSQL the identity column {@code seq} the tables listed by newest first carry for this.
     */
    public String insertionOrder() {
        return this == SQLITE ? "rowid" : "seq";
    }

    /** The resource folder under {@code db/migration/} holding this dialect's migrations. */
    public String folder() {
        return folder;
    }
}
