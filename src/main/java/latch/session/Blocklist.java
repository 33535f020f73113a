package latch.session;

import java.time.Instant;

/**
 * Identifiers of tokens (their {@code jti}) and sessions that must no longer be accepted, each remembered only
 * until the last token it could affect has expired anyway.
 */
public interface Blocklist {
    void revoke(String id, Instant until);

    boolean isRevoked(String id);
}
