package latch.db;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/**
 * Listens on one PostgreSQL notification channel over a connection of its own (LISTEN needs a session that stays
 * put, which a pooled connection is not) and runs {@code onNotice} whenever something arrives. A lost connection
 * is logged once and opened again every few seconds; whoever relies on this also polls, so a notice missed while
 * reconnecting is late, never lost.
 */
final class PostgresNotices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresNotices.class);
    private static final int WAIT_MS = 500;
    private static final long RETRY_MS = 3000;

    private final Callable<Connection> connect;
    private final String channel;
    private final Runnable onNotice;
    private final Runnable onLost;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;

    PostgresNotices(Callable<Connection> connect, String channel, Runnable onNotice, Runnable onLost) {
        if (!channel.matches("[a-z_]+")) {
            throw new IllegalArgumentException("channel names are lower-case letters and _");
        }
        this.connect = connect;
        this.channel = channel;
        this.onNotice = onNotice;
        this.onLost = onLost;
        // Named as Latch's background work: what it runs is no request's SQL.
        this.thread = new Thread(this::run, Database.BACKGROUND_THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        boolean down = false;
        while (!closed) {
            try (Connection c = connect.call()) {
                current = c;
                try (var st = c.createStatement()) {
                    st.execute("LISTEN " + channel);
                }
                if (down) {
                    log.info("listening for changes from other nodes again");
                    down = false;
                }
                // Whatever happened while not listening is found by the poll this triggers.
                onNotice.run();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    var notices = pg.getNotifications(WAIT_MS);
                    if (notices != null && notices.length > 0) {
                        onNotice.run();
                    }
                }
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                onLost.run();
                if (!down) {
                    log.warn("not listening for changes from other nodes ({}); they still arrive by polling", Database.rootMessage(e));
                    down = true;
                }
                try {
                    Thread.sleep(RETRY_MS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing at shutdown
            }
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
