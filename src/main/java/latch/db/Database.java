package latch.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SQLite file and a small pool of connections to it. WAL lets readers run beside the one writer; transactions
 * start IMMEDIATE so they hold the write lock from their first statement. Transactions are never joined
 * implicitly: whoever needs several stores in one passes its {@link Tx} along.
 */
public final class Database implements UnitOfWork, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    public static final String FILE_NAME = "latch.db";
    private static final int BUSY_TIMEOUT_MS = 5000;
    private static final int WRITABLE_PROBE_WAIT_MS = 1000;

    /** The name of the thread that runs Latch's jobs and deferred writes (last seen, last used). */
    public static final String BACKGROUND_THREAD = "latch-background";

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private final Path file;
    /** Connections borrowed by any thread but the background one, i.e. SQL that someone waited for. */
    private final LongAdder foregroundWork = new LongAdder();
    /**
     * Only a guard: a thread that holds a transaction and opens another would wait for its own write lock until the
     * busy timeout. That is a bug at the call site (pass the Tx), reported at once instead of after five seconds.
     */
    private final ThreadLocal<Boolean> holdsTransaction = ThreadLocal.withInitial(() -> false);

    public Database(Path dataDir, int poolSize) {
        this.file = dataDir.resolve(FILE_NAME);
        this.idle = new ArrayBlockingQueue<>(poolSize);
        try {
            DataDirectory.prepare(dataDir, FILE_NAME);
            for (int i = 0; i < poolSize; i++) {
                Connection c = open();
                all.add(c);
                idle.add(c);
            }
            DataDirectory.tighten(dataDir);
        } catch (Exception e) {
            close();
            throw new DatabaseException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    private Connection open() throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Deleted rows (revoked secrets, erased personal data) are overwritten, not left in free pages.
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public Path file() {
        return file;
    }

    /** How many connections the pool holds: how many transactions and reads can run at once. */
    public int poolSize() {
        return all.size();
    }

    /** Work in autocommit mode: each statement is its own transaction, seeing what others committed. */
    public <T> T read(SqlWork<T> work) {
        // Inside a transaction a read on another connection sees the state before it, and holds a second connection
        // while waiting; read through the Tx instead. Checked wherever assertions are on (every test run).
        assert !holdsTransaction.get() : "a read on another connection while this thread holds a transaction: pass its Tx";
        Connection c = borrow();
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    @Override
    public <T> T inTransaction(Work<T> work) {
        if (holdsTransaction.get()) {
            throw new IllegalStateException("this thread already holds a transaction: pass its Tx instead of opening another");
        }
        Connection c = borrow();
        holdsTransaction.set(true);
        Tx tx = new Tx(c);
        T result;
        try {
            c.setAutoCommit(false);
            try {
                result = work.run(tx);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        } finally {
            holdsTransaction.set(false);
            idle.add(c);
        }
        for (Runnable action : tx.committed()) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // The change is committed; one listener's failure must not turn it into an error for the caller.
                log.error("after-commit action failed: {}", e.toString());
            }
        }
        return result;
    }

    private Connection borrow() {
        if (!Thread.currentThread().getName().equals(BACKGROUND_THREAD)) {
            foregroundWork.increment();
        }
        try {
            Connection c = idle.poll(BUSY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new DatabaseException("no database connection free after " + BUSY_TIMEOUT_MS + " ms", null);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while waiting for a connection", e);
        }
    }

    /**
     * How many reads and transactions ran on threads other than {@link #BACKGROUND_THREAD}: a request path that
     * promises "no SQL" leaves this unchanged, which the tests check.
     */
    public long foregroundWork() {
        return foregroundWork.sum();
    }

    /** True when the database answers a trivial query. */
    public boolean isHealthy() {
        try {
            return read(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * True when a write goes through: a write lock is taken and a row of the migrations table is rewritten, then
     * rolled back. A read-only file, a full or read-only file system or a lock held past the busy timeout say false.
     */
    public boolean isWritable() {
        try {
            return read(c -> {
                try (var st = c.createStatement()) {
                    // A second, not the requests' five: a probe must answer before its caller's timeout.
                    st.execute("PRAGMA busy_timeout = " + WRITABLE_PROBE_WAIT_MS);
                    try {
                        st.execute("BEGIN IMMEDIATE");
                        try {
                            st.executeUpdate("UPDATE schema_migrations SET applied_at = applied_at"
                                    + " WHERE version = (SELECT MAX(version) FROM schema_migrations)");
                        } finally {
                            st.execute("ROLLBACK");
                        }
                    } finally {
                        st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                    }
                    return true;
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Moves everything in the write-ahead log into the database file and empties the log. */
    public void checkpoint() {
        read(c -> {
            try (var st = c.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return null;
        });
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing at shutdown: nothing useful to do with a failure
            }
        }
        all.clear();
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
