package latch.db;

import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SQLite file and a small pool of connections to it. WAL lets readers run beside the one writer;
 * transactions start IMMEDIATE so check-then-act sequences hold the write lock from their first read.
 */
public final class Database implements AutoCloseable {
    public static final String FILE_NAME = "latch.db";
    private static final int BUSY_TIMEOUT_MS = 5000;

    /** The name of the thread that does deferred writes (last seen, last used) and periodic checks. */
    public static final String BACKGROUND_THREAD = "latch-background";

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private final Path file;
    /** Connections borrowed by any thread but the background one, i.e. SQL that someone waited for. */
    private final LongAdder foregroundWork = new LongAdder();
    /** The connection of the transaction this thread has open, which nested work joins. */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    public Database(Path dataDir, int poolSize) {
        this.file = dataDir.resolve(FILE_NAME);
        this.idle = new ArrayBlockingQueue<>(poolSize);
        try {
            createPrivately(dataDir);
            for (int i = 0; i < poolSize; i++) {
                Connection c = open();
                all.add(c);
                idle.add(c);
            }
        } catch (Exception e) {
            close();
            throw new DatabaseException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The database holds the JWT secret and password hashes: only Latch's own user may read it. */
    private void createPrivately(Path dataDir) throws java.io.IOException {
        Files.createDirectories(dataDir);
        if (!Files.exists(file) && dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    private Connection open() throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public Path file() {
        return file;
    }

    /** Work in autocommit mode: each statement is its own transaction (or inside the one this thread has open). */
    public <T> T read(SqlWork<T> work) {
        if (current.get() != null) {
            return joined(work);
        }
        Connection c = borrow();
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    /**
     * Work in one transaction holding the write lock; rolled back if anything throws. Called again inside such
     * work on the same thread, it joins the open transaction, so two stores can change rows together.
     */
    public <T> T transaction(SqlWork<T> work) {
        if (current.get() != null) {
            return joined(work);
        }
        Connection c = borrow();
        current.set(c);
        try {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        } finally {
            current.remove();
            idle.add(c);
        }
    }

    // A second connection would wait on the write lock this thread already holds, until the busy timeout.
    private <T> T joined(SqlWork<T> work) {
        try {
            return work.run(current.get());
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    public void write(SqlAction action) {
        transaction(c -> {
            action.run(c);
            return null;
        });
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

    @FunctionalInterface
    public interface SqlAction {
        void run(Connection c) throws SQLException;
    }
}
