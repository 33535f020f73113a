package latch.session;

import java.time.Instant;

/** One sign-in on one device: every token issued for it carries its id as {@code sid}. */
public record Session(String id, long userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
                      Instant endedAt, String ip, String userAgent) {}
