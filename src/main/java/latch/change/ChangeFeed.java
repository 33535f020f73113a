package latch.change;

import latch.db.Tx;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The one way changes travel. A service publishes in the transaction that makes the change; listeners hear of it
 * after that transaction commits, in this process at once and in every other process when it next polls. The
 * transport is behind this interface: a change-log table polled by sequence today, PostgreSQL LISTEN/NOTIFY or
 * Redis pub/sub when Latch runs as several nodes.
 */
public interface ChangeFeed {
    /** Records {@code change} in {@code tx}; reactions run now, inside it, and listeners after it commits. */
    void publish(Tx tx, Change change);

    /**
     * Memory that mirrors the database (caches, the blocklist, the live-session view) listens here: called after
     * the change commits, in every process, and with {@link Change.Resync} when everything must be reloaded.
     */
    <T extends Change> void onCommitted(Class<T> type, Consumer<? super T> listener);

    /**
     * A feature whose rows must change together with another feature's (sessions end when a user is disabled)
     * reacts here, inside the publishing transaction, so both commit or neither does. Runs only in the publishing
     * process; other processes hear of the result through the changes the reaction publishes itself.
     */
    <T extends Change> void within(Class<T> type, BiConsumer<Tx, ? super T> reaction);

    /** For memory that holds the keys of {@code purpose}: {@code reload} runs when they change, and on a resync. */
    default void onKeysChanged(String purpose, Runnable reload) {
        onCommitted(Change.KeysRotated.class, c -> {
            if (c.purpose().equals(purpose)) {
                reload.run();
            }
        });
        onCommitted(Change.Resync.class, c -> reload.run());
    }

    /**
     * Whether this process can still hear of other processes' changes: false once reading them failed (the database
     * away), until a read succeeds again. While false a token may have been revoked elsewhere unheard of, so
     * credentials are refused (503) rather than trusted from memory.
     */
    boolean inStep();

    /** The connection that brought other processes' notices was lost: out of step until the next read succeeds. */
    void lost();

    /** Reads what other processes published since the last poll and tells the listeners; run by a job. */
    void poll();
}
