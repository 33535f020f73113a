package latch.db;

/** The outside-change counter as one row in SQLite, shared by every process that opens the database file. */
public final class SqliteOutsideChanges implements OutsideChanges {
    private final Database db;

    public SqliteOutsideChanges(Database db) {
        this.db = db;
    }

    @Override
    public long generation() {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT generation FROM outside_changes WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public void announce() {
        db.transaction(c -> {
            try (var ps = c.prepareStatement("UPDATE outside_changes SET generation = generation + 1 WHERE id = 1")) {
                return ps.executeUpdate();
            }
        });
    }
}
