package latch.session;

import java.time.Instant;

/**
 * One sign-in on one device, or one OAuth grant: every token issued for it carries its id as {@code sid}, so
 * ending the session ends all of them. {@code scope} is set for OAuth grants narrower than the role.
 */
public record Session(String id, long userId, SessionKind kind, String scope, Instant createdAt, Instant lastSeenAt,
                      Instant expiresAt, Instant endedAt, String ip, String userAgent) {

    public boolean isLive(Instant now) {
        return endedAt == null && now.isBefore(expiresAt);
    }
}
