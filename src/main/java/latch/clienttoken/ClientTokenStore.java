package latch.clienttoken;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Client tokens at rest. */
public interface ClientTokenStore {
    /** Inserts the token unless the owner already has {@code max} active ones; false if at the limit (atomic). */
    boolean createWithin(ClientToken token, int max, Instant now);

    Optional<ClientToken> find(String id);

    /** How many of the user's tokens count against the limit: neither revoked nor expired. */
    int countActive(long userId, Instant now);

    /** A user's tokens that are not revoked (expired ones included, so the owner sees them), newest first. */
    List<ClientToken> list(long userId);

    boolean revoke(String id, Instant now);

    /** Replaces the secret of an active token; false if there is none. */
    boolean replaceSecret(String id, String secretHash);

    void touch(String id, Instant usedAt);
}
