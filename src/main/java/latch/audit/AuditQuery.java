package latch.audit;

import java.time.Instant;

/** Filters for the audit log, newest first; {@code beforeId} is the keyset cursor of the previous page. */
public record AuditQuery(Long subjectId, String type, Instant since, Instant until, int limit, Long beforeId) {}
