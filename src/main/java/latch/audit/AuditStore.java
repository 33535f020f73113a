package latch.audit;

import java.util.List;

/** The audit log at rest: append and search, newest first. */
public interface AuditStore {
    void append(AuditEvent event, long epochSecond);

    /** Up to {@code query.limit()} events matching the query, newest first. */
    List<AuditEvent> search(AuditQuery query);
}
