package latch.session;

import latch.db.Tx;

import java.time.Instant;

/**
 * Identifiers of tokens (their {@code jti}) that must no longer be accepted, each remembered only until the token
 * it blocks would have expired anyway.
 */
public interface Blocklist {
    /**
     * Revokes {@code id} until {@code until} as part of {@code tx}; true if this call revoked it, false if it already
     * was. The answer is atomic across every caller and process, so "revoke, and go on only if I was first" is safe
     * (a token refreshed twice at once mints one successor).
     */
    boolean revoke(Tx tx, String id, Instant until);

    boolean isRevoked(String id);
}
