package latch.oauth;

import latch.db.Tx;

import java.time.Instant;
import java.util.Optional;

/** OAuth refresh tokens at rest, by SHA-256 only; each belongs to a grant (a session of kind oauth). */
public interface RefreshTokenStore {
    void create(Tx tx, String tokenHash, String sessionId, Instant now, Instant expiresAt);

    /** The grant of a token that is neither spent nor expired at {@code now}, without spending it. */
    Optional<String> unspentGrant(String tokenHash, Instant now);

    /**
     * Spends the token with {@code tokenHash} in one conditional statement and stores its successor. A token that
     * was already spent is reported as {@link Rotation.Outcome#REUSED}: someone holds a copy, and the grant must die.
     */
    Rotation rotate(Tx tx, String tokenHash, String nextHash, Instant now, Instant nextExpiresAt);

    /** Deletes up to {@code batch} refresh tokens that expired before {@code before}; returns how many. */
    int purgeExpired(Instant before, int batch);

    record Rotation(Outcome outcome, String sessionId) {
        public enum Outcome { ROTATED, REUSED, INVALID }
    }
}
