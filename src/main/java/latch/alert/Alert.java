package latch.alert;

/** One alert as the admin API shows it; times are ISO-8601, {@code state} is {@code open} or {@code acknowledged}. */
public record Alert(long id, String kind, String state, Long userId, String username, String source, String detail,
                    long count, String firstSeen, String lastSeen, String acknowledgedAt, String acknowledgedBy) {}
