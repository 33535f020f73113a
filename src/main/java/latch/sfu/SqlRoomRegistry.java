package latch.sfu;

import latch.db.Database;
import latch.db.Tx;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry in the database several nodes share, so a room one node registered resolves and lists on every
 * other. A row per room (its record's bytes and when it expires, by the injected clock), at most {@code maxRooms}
 * rows: a new room is admitted by one conditional INSERT that counts them, while the writers of new rooms take turns.
 */
public final class SqlRoomRegistry implements RoomRegistry {
    /** The cap is one invariant over the whole table: one key for its turns. */
    private static final String CAP = "netplay room cap";

    private final Database db;
    private final Clock clock;
    private final long ttlMillis;
    private final int maxRooms;

    public SqlRoomRegistry(Database db, Clock clock, Duration ttl, int maxRooms) {
        this.db = db;
        this.clock = clock;
        this.ttlMillis = RoomRegistry.checkedLifetime(ttl, maxRooms);
        this.maxRooms = maxRooms;
    }

    @Override
    public boolean upsert(String roomName, byte[] record) {
        long now = clock.millis();
        long expiresAt = now + ttlMillis;
        return db.inTransaction(tx -> {
            // A room already held (live, or expired and not yet swept) keeps its place: the SFUs' refresh of every
            // room every 30 s is one UPDATE and never waits for the cap's turn.
            if (tx.update("UPDATE netplay_rooms SET record = ?, expires_at = ? WHERE name = ?", record, expiresAt, roomName) == 1) {
                return true;
            }
            // Under READ COMMITTED two new rooms could each count the other's row as not there yet; after the turn the
            // count sees what the previous writer committed.
            tx.takeTurns(CAP, 0);
            if (admit(tx, roomName, record, expiresAt)) {
                return true;
            }
            // Full: rooms whose SFU stopped refreshing them may hold places until the next sweep; free those first.
            return sweep(tx, now) > 0 && admit(tx, roomName, record, expiresAt);
        });
    }

    /**
     * Stores the room if it is held (another node may have added it since the UPDATE) or a place is free: the check
     * and the write are one statement.
     */
    private boolean admit(Tx tx, String roomName, byte[] record, long expiresAt) {
        return tx.update("INSERT INTO netplay_rooms(name, record, expires_at) SELECT ?, ?, ?"
                + " WHERE EXISTS (SELECT 1 FROM netplay_rooms WHERE name = ?) OR (SELECT COUNT(*) FROM netplay_rooms) < ?"
                + " ON CONFLICT (name) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at",
                roomName, record, expiresAt, roomName, maxRooms) == 1;
    }

    @Override
    public void delete(String roomName) {
        db.run(tx -> tx.update("DELETE FROM netplay_rooms WHERE name = ?", roomName));
    }

    @Override
    public Optional<byte[]> resolve(String roomName) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT record FROM netplay_rooms WHERE name = ? AND expires_at > ?")) {
                ps.setString(1, roomName);
                ps.setLong(2, clock.millis());
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Map<String, byte[]> list() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT name, record FROM netplay_rooms WHERE expires_at > ?")) {
                ps.setLong(1, clock.millis());
                // Ordered here, not by ORDER BY: Java's order of names is the same as on one box, whatever the
                // database's collation.
                var live = new TreeMap<String, byte[]>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        live.put(rs.getString(1), rs.getBytes(2));
                    }
                }
                return live;
            }
        });
    }

    @Override
    public int size() {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM netplay_rooms")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Override
    public int sweep() {
        long now = clock.millis();
        // One statement is bounded: the table never holds more than the cap.
        return db.inTransaction(tx -> sweep(tx, now));
    }

    private static int sweep(Tx tx, long now) {
        return tx.update("DELETE FROM netplay_rooms WHERE expires_at <= ?", now);
    }
}
