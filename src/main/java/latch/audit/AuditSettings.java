package latch.audit;

import java.time.Duration;

/** How long the audit log keeps an event (AUDIT_RETENTION_DAYS); older ones are purged in the background. */
public record AuditSettings(Duration retention) {}
