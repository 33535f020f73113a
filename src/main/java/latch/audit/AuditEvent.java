package latch.audit;

/** One recorded security event. Never holds a password or a whole token. */
public record AuditEvent(long id, String at, String type, String outcome, Long actorId, String actorName,
                         Long subjectId, String subjectName, String ip, String userAgent, String detail) {}
