package latch.change;

import latch.db.Database;
import latch.db.DatabaseException;
import latch.db.Dialect;
import latch.db.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The change feed over a table every process on the database file shares. A change is a row written in the same
 * transaction as the change itself, so it exists exactly when the change does; each process reads the rows after
 * the last one it saw, in sequence order, which is commit order (see {@link #record}). Rows older than
 * {@code keep} are pruned; a process that had not read that far cannot know what it missed and resyncs.
 */
public final class SqlChangeFeed implements ChangeFeed {
    private static final Logger log = LoggerFactory.getLogger(SqlChangeFeed.class);
    private static final int POLL_BATCH = 1000;

    private record Listener<T extends Change>(Class<T> type, Consumer<? super T> action) {
        void offer(Change c) {
            if (type.isInstance(c)) {
                action.accept(type.cast(c));
            }
        }
    }

    private record Reaction<T extends Change>(Class<T> type, BiConsumer<Tx, ? super T> action) {
        void offer(Tx tx, Change c) {
            if (type.isInstance(c)) {
                action.accept(tx, type.cast(c));
            }
        }
    }

    private final Database db;
    private final Clock clock;
    private final String origin = UUID.randomUUID().toString();
    private final List<Listener<?>> listeners = new CopyOnWriteArrayList<>();
    private final List<Reaction<?>> reactions = new CopyOnWriteArrayList<>();
    /** Tells other nodes a change committed (Redis pub/sub), instead of PostgreSQL's NOTIFY; null when that is used. */
    private final Runnable announce;
    private long seen;
    /** False from a failed read (or a lost listening connection) until the next read succeeds. */
    private volatile boolean inStep = true;

    public SqlChangeFeed(Database db, Clock clock) {
        this(db, clock, null);
    }

    /**
     * {@code announce}: run after each commit that published a change, to wake the other nodes (a Redis PUBLISH);
     * null to use PostgreSQL's NOTIFY (or nothing, on SQLite). It must not throw or wait (the caller's commit is
     * done): a wake-up that does not arrive costs only latency, as the other nodes read the change on their next poll.
     */
    public SqlChangeFeed(Database db, Clock clock, Runnable announce) {
        this.db = db;
        this.clock = clock;
        this.announce = announce;
        this.seen = latestSeq();
    }

    /** The PostgreSQL notification channel a committed change is announced on, so other nodes read it at once. */
    public static final String CHANNEL = "latch_changes";

    /** Any fixed number: the advisory lock that makes change-log writers on PostgreSQL commit in sequence order. */
    private static final long WRITER_LOCK = 0x4c61746368L + 1;

    @Override
    public void publish(Tx tx, Change change) {
        var row = ChangeCodec.encode(change);
        // Written last, just before the commit: see record().
        tx.beforeCommit(() -> record(tx, row));
        for (Reaction<?> r : reactions) {
            r.offer(tx, change);
        }
        tx.afterCommit(() -> deliver(change));
        if (announce != null) {
            tx.afterCommit(announce);
        }
    }

    /**
     * Readers rely on sequence order being commit order. On PostgreSQL a transaction that took sequence 7 could
     * otherwise commit after one that took 8, and a reader that had seen 8 would never read 7. So the row is
     * written at the very end of its transaction under an advisory lock held to the commit: sequence numbers are
     * handed out in commit order, and the lock is held while no other lock is waited for (no deadlock).
     */
    private void record(Tx tx, ChangeCodec.Row row) {
        if (tx.dialect() == Dialect.POSTGRES) {
            // The notice goes out when this commits (several in one transaction arrive as one).
            String notify = announce == null ? ", pg_notify('" + CHANNEL + "', '')" : "";
            try (var ps = tx.prepare("SELECT pg_advisory_xact_lock(?)" + notify)) {
                ps.setLong(1, WRITER_LOCK);
                ps.execute();
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        }
        try (var ps = tx.prepare("INSERT INTO change_log(at, origin, kind, subject, until, detail) VALUES (?,?,?,?,?,?)")) {
            ps.setLong(1, clock.instant().getEpochSecond());
            ps.setString(2, origin);
            ps.setString(3, row.kind());
            ps.setString(4, row.subject());
            if (row.until() == null) {
                ps.setNull(5, Types.INTEGER);
            } else {
                ps.setLong(5, row.until());
            }
            ps.setString(6, row.detail());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("cannot record a change: " + e.getMessage(), e);
        }
    }

    @Override
    public <T extends Change> void onCommitted(Class<T> type, Consumer<? super T> listener) {
        listeners.add(new Listener<>(type, listener));
    }

    @Override
    public <T extends Change> void within(Class<T> type, BiConsumer<Tx, ? super T> reaction) {
        reactions.add(new Reaction<>(type, reaction));
    }

    @Override
    public boolean inStep() {
        return inStep;
    }

    @Override
    public void lost() {
        inStep = false;
    }

    @Override
    public synchronized void poll() {
        try {
            read();
            inStep = true;
        } catch (RuntimeException e) {
            inStep = false;
            throw e;
        }
    }

    private void read() {
        long before = seen;
        var found = new ArrayList<Change>();
        boolean fellBehind = db.read(c -> {
            try (var ps = c.prepareStatement("SELECT seq, origin, kind, subject, until, detail FROM change_log"
                    + " WHERE seq > ? ORDER BY seq LIMIT " + POLL_BATCH)) {
                ps.setLong(1, before);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seen = rs.getLong(1);
                        if (origin.equals(rs.getString(2))) {
                            continue; // delivered when it committed
                        }
                        long until = rs.getLong(5);
                        Long untilOrNull = rs.wasNull() ? null : until;
                        ChangeCodec.decode(new ChangeCodec.Row(rs.getString(3), rs.getString(4), untilOrNull, rs.getString(6)))
                                .ifPresent(found::add);
                    }
                }
            }
            // Read after the rows: a prune between the two statements shows here, so it cannot go unnoticed. Pruned
            // beyond what was seen before this poll means rows this process never read may be gone.
            try (var ps = c.prepareStatement("SELECT pruned_through FROM change_log_state WHERE id = 1");
                 var rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > before;
            }
        });
        if (fellBehind) {
            seen = latestSeq();
            log.warn("the change feed pruned changes this process had not read; every cache starts afresh");
            deliver(new Change.Resync());
            return;
        }
        found.forEach(this::deliver);
    }

    /** Deletes up to {@code batch} changes older than {@code keep}; returns how many. */
    public int prune(Duration keep, int batch) {
        long before = clock.instant().minus(keep).getEpochSecond();
        return db.inTransaction(tx -> {
            long upTo;
            try (var ps = tx.prepare("SELECT MAX(seq) FROM (SELECT seq FROM change_log WHERE at < ? ORDER BY seq LIMIT ?) AS oldest")) {
                ps.setLong(1, before);
                ps.setInt(2, batch);
                try (var rs = ps.executeQuery()) {
                    upTo = rs.next() ? rs.getLong(1) : 0;
                }
            }
            if (upTo == 0) {
                return 0;
            }
            int deleted;
            try (var ps = tx.prepare("DELETE FROM change_log WHERE seq <= ?")) {
                ps.setLong(1, upTo);
                deleted = ps.executeUpdate();
            }
            try (var ps = tx.prepare("UPDATE change_log_state SET pruned_through = ? WHERE id = 1 AND pruned_through < ?")) {
                ps.setLong(1, upTo);
                ps.setLong(2, upTo);
                ps.executeUpdate();
            }
            return deleted;
        });
    }

    private long latestSeq() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT COALESCE((SELECT MAX(seq) FROM change_log), 0),"
                    + " COALESCE((SELECT pruned_through FROM change_log_state WHERE id = 1), 0)"); var rs = ps.executeQuery()) {
                return rs.next() ? Math.max(rs.getLong(1), rs.getLong(2)) : 0L;
            }
        });
    }

    private void deliver(Change change) {
        for (Listener<?> l : listeners) {
            try {
                l.offer(change);
            } catch (RuntimeException e) {
                log.error("a listener failed on {}: {}", change.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
