package latch.db;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A few connections to one SQLite file, opened at start. WAL lets readers run beside the one writer; transactions
 * start IMMEDIATE so they hold the write lock from their first statement.
 */
final class SqlitePool implements ConnectionPool {
    static final int BUSY_TIMEOUT_MS = 5000;

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();

    SqlitePool(Path file, int size) throws SQLException {
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                Connection c = open(file);
                all.add(c);
                idle.add(c);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private static Connection open(Path file) throws SQLException {
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

    @Override
    public Connection take(long timeoutMs) throws InterruptedException {
        return idle.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void give(Connection c) {
        idle.add(c);
    }

    @Override
    public int size() {
        return all.size();
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
}
