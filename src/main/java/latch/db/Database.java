package latch.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Latch's database: the SQLite file in the data directory (one box), or a PostgreSQL server several nodes share.
 * Stores speak SQL both understand and ask {@link #dialect()} where they cannot. Transactions are never joined
 * implicitly: whoever needs several stores in one passes its {@link Tx} along.
 */
public final class Database implements UnitOfWork, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    public static final String FILE_NAME = "latch.db";
    private static final int BORROW_TIMEOUT_MS = SqlitePool.BUSY_TIMEOUT_MS;
    private static final int WRITABLE_PROBE_WAIT_MS = 1000;

    /** The name of the thread that runs Latch's jobs and deferred writes (last seen, last used). */
    public static final String BACKGROUND_THREAD = "latch-background";

    private final ConnectionPool pool;
    private final Dialect dialect;
    private final String name;
    /** The SQLite file; null on PostgreSQL. */
    private final Path file;
    /** Connections borrowed by any thread but the background one, i.e. SQL that someone waited for. */
    private final LongAdder foregroundWork = new LongAdder();
    /**
     * Only a guard: a thread that holds a transaction and opens another would wait for its own locks until the
     * timeout. That is a bug at the call site (pass the Tx), reported at once instead of after five seconds.
     */
    private final ThreadLocal<Boolean> holdsTransaction = ThreadLocal.withInitial(() -> false);

    private Database(ConnectionPool pool, Dialect dialect, String name, Path file) {
        this.pool = pool;
        this.dialect = dialect;
        this.name = name;
        this.file = file;
    }

    /** Opens what the settings name: the PostgreSQL server of LATCH_DATABASE_URL, else SQLite in the data directory. */
    public static Database open(DatabaseSettings settings) {
        return settings.url().map(url -> postgres(url, settings.poolSize(), settings.startWait()))
                .orElseGet(() -> sqlite(settings.dataDir(), settings.poolSize()));
    }

    /** The SQLite file {@code latch.db} in {@code dataDir}, created owner-only if missing. */
    public static Database sqlite(Path dataDir, int poolSize) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            DataDirectory.prepare(dataDir, FILE_NAME);
            var db = new Database(new SqlitePool(file, poolSize), Dialect.SQLITE, "the SQLite file " + file, file);
            DataDirectory.tighten(dataDir);
            return db;
        } catch (Exception e) {
            throw new DatabaseException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    /** A PostgreSQL server; waits a little for it at start, then fails with the reason. */
    public static Database postgres(DatabaseUrl url, int poolSize, java.time.Duration startWait) {
        try {
            var pool = new PostgresPool(url, poolSize, BORROW_TIMEOUT_MS, startWait.toMillis());
            return new Database(pool, Dialect.POSTGRES, "the " + url.describe(), null);
        } catch (RuntimeException e) {
            // Hikari's message names host and database, never the password.
            throw new DatabaseException("cannot open the " + url.describe() + ": " + rootMessage(e), e);
        }
    }

    /** The innermost cause's message: what a driver or pool says went wrong, without its wrappers. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Where the data is, for messages: a file path or a server, never a password. */
    public String name() {
        return name;
    }

    /** The SQLite file; only on SQLite (whole-file backups, tests that open the file beside Latch). */
    public Path file() {
        if (file == null) {
            throw new IllegalStateException("the data is on PostgreSQL, not in a file");
        }
        return file;
    }

    /** How many connections the pool holds: how many transactions and reads can run at once. */
    public int poolSize() {
        return pool.size();
    }

    /**
     * The PostgreSQL pool as a {@link DataSource}, for a library that runs its own statements (Bucket4j's shared rate
     * limits); empty on SQLite. Its connections are counted and guarded as {@link #read}'s are.
     */
    public Optional<DataSource> dataSource() {
        return pool.dataSource().map(Borrowed::new);
    }

    /** Work in autocommit mode: each statement is its own transaction, seeing what others committed. */
    public <T> T read(SqlWork<T> work) {
        requireNoTransaction();
        Connection c = borrow();
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        } finally {
            pool.give(c);
        }
    }

    @Override
    public <T> T inTransaction(Work<T> work) {
        if (holdsTransaction.get()) {
            throw new IllegalStateException("this thread already holds a transaction: pass its Tx instead of opening another");
        }
        Connection c = borrow();
        holdsTransaction.set(true);
        Tx tx = new Tx(c, dialect);
        T result;
        try {
            c.setAutoCommit(false);
            try {
                result = work.run(tx);
                tx.runBeforeCommit();
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
            pool.give(c);
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

    private void requireNoTransaction() {
        // Inside a transaction a read on another connection sees the state before it, and holds a second connection
        // while waiting; read through the Tx instead. Checked wherever assertions are on (every test run).
        assert !holdsTransaction.get() : "a read on another connection while this thread holds a transaction: pass its Tx";
    }

    private void countBorrow() {
        if (!Thread.currentThread().getName().equals(BACKGROUND_THREAD)) {
            foregroundWork.increment();
        }
    }

    private Connection borrow() {
        countBorrow();
        try {
            Connection c = pool.take(BORROW_TIMEOUT_MS);
            if (c == null) {
                throw DatabaseException.noConnection("no database connection free after " + BORROW_TIMEOUT_MS + " ms");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while waiting for a connection", e);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
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
     * rolled back. A read-only file or server (a standby), a full disk or a lock held past a second say false.
     */
    public boolean isWritable() {
        try {
            return read(c -> dialect == Dialect.SQLITE ? sqliteWritable(c) : postgresWritable(c));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static final String REWRITE_A_ROW = "UPDATE schema_migrations SET applied_at = applied_at"
            + " WHERE version = (SELECT MAX(version) FROM schema_migrations)";

    private static boolean sqliteWritable(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            // A second, not the requests' five: a probe must answer before its caller's timeout.
            st.execute("PRAGMA busy_timeout = " + WRITABLE_PROBE_WAIT_MS);
            try {
                st.execute("BEGIN IMMEDIATE");
                try {
                    st.executeUpdate(REWRITE_A_ROW);
                } finally {
                    st.execute("ROLLBACK");
                }
            } finally {
                st.execute("PRAGMA busy_timeout = " + SqlitePool.BUSY_TIMEOUT_MS);
            }
            return true;
        }
    }

    private static boolean postgresWritable(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (var st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = " + WRITABLE_PROBE_WAIT_MS);
            st.execute("SET LOCAL statement_timeout = " + WRITABLE_PROBE_WAIT_MS);
            // On a standby, or a database set read-only, the update fails: exactly what this probe is for.
            st.executeUpdate(REWRITE_A_ROW);
            return true;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * Runs {@code onNotice} whenever a transaction that notified {@code channel} commits, on any node, and
     * {@code onLost} when the listening connection breaks, until the returned handle is closed: PostgreSQL's LISTEN/NOTIFY. SQLite has no such thing (one box, one file: polling
     * is all there is), so there it does nothing.
     */
    public AutoCloseable listen(String channel, Runnable onNotice, Runnable onLost) {
        if (dialect != Dialect.POSTGRES) {
            return () -> { };
        }
        return new PostgresNotices(pool::dedicated, channel, onNotice, onLost);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The pool's connections, each borrowed as {@link #read} borrows one; a connection's close gives it back. */
    private final class Borrowed implements DataSource {
        private final DataSource pool;

        Borrowed(DataSource pool) {
            this.pool = pool;
        }

        @Override
        public Connection getConnection() throws SQLException {
            requireNoTransaction();
            countBorrow();
            return pool.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the pool connects with the settings' credentials only");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("the pool itself is not handed out");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
