package latch.audit;

import java.time.Instant;
import java.util.List;

/** The audit log at rest: append and search, newest first. */
public interface AuditStore {
    void append(AuditEvent event, long epochSecond);

    /** Removes the client details (IP address, user agent) from every event a user acted in or was the subject of. */
    int forgetClientDetails(long subjectId);

    /** Deletes up to {@code batch} events recorded before {@code before}, oldest first; returns how many. */
    int purgeOlderThan(Instant before, int batch);

    /** Up to {@code query.limit()} events matching the query, newest first. */
    List<AuditEvent> search(AuditQuery query);
}
