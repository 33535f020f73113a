package latch.audit;

import java.util.List;

/** A page of events and the cursor for the next one (null at the end). */
public record AuditPage(List<AuditEvent> events, String nextCursor) {}
