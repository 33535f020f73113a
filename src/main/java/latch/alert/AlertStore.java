package latch.alert;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where alerts are kept. */
public interface AlertStore {
    /** A new open alert, or one more occurrence of the open alert with the same fingerprint: one statement. */
    void raise(AlertKind kind, String fingerprint, Long userId, String username, String source, String detail, Instant now);

    /** Newest occurrence first; {@code open} true for open alerts, false for acknowledged ones. */
    List<Alert> list(boolean open, int limit);

    Optional<Alert> find(long id);

    /** Acknowledges an open alert; empty if there is no such alert or it was acknowledged already. */
    Optional<Alert> acknowledge(long id, String by, Instant now);

    long countOpen();

    /** Drops a deleted account's id and name from its alerts, inside the transaction that deletes it. */
    void forgetUser(latch.db.Tx tx, long userId);
}
