package latch.audit;

import latch.db.Tx;

import java.time.Instant;
import java.util.List;

/** The audit log at rest: append and search, newest first. */
public interface AuditStore {
    void append(AuditEvent event, long epochSecond);

    /** Removes the client details (IP address, user agent) from every event a user acted in or was the subject of. */
    int forgetClientDetails(long subjectId);

    /** Every event a user acted in or was the subject of, oldest first. */
    List<AuditEvent> involving(long userId);

    /**
     * An erased user leaves the log: in every event they acted in or were the subject of, their id goes, their name
     * becomes {@code marker}, and the event's address and device go, and so does the detail of events about them.
     * One statement, inside the erasure's transaction.
     */
    int anonymize(Tx tx, long userId, String marker);

    /** Deletes up to {@code batch} events recorded before {@code before}, oldest first; returns how many. */
    int purgeOlderThan(Instant before, int batch);

    /** Up to {@code query.limit()} events matching the query, newest first. */
    List<AuditEvent> search(AuditQuery query);
}
