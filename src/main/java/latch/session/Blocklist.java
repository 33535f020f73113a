package latch.session;

import java.time.Instant;

/**
 * Identifiers of tokens (their {@code jti}) and sessions that must no longer be accepted, each remembered only
 * until the last token it could affect has expired anyway.
 */
public interface Blocklist {
    /**
     * Revokes {@code id} until {@code until}; true if this call revoked it, false if it already was. The answer
     * is atomic across every caller, so "revoke, and go on only if I was first" is safe (a token refreshed twice
     * at once mints one successor).
     */
    boolean revoke(String id, Instant until);

    boolean isRevoked(String id);
}
