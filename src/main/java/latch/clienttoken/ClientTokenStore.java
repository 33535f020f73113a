package latch.clienttoken;

import latch.db.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Client tokens at rest. */
public interface ClientTokenStore {
    /**
     * Inserts the token unless the owner already has {@code max} active ones, in one conditional statement;
     * false if at the limit.
     */
    boolean createWithin(Tx tx, ClientToken token, int max, Instant now);

    Optional<ClientToken> find(String id);

    /** How many of the user's tokens count against the limit: neither revoked nor expired. */
    int countActive(long userId, Instant now);

    /** A user's tokens that are not revoked (expired ones included, so the owner sees them), newest first. */
    List<ClientToken> list(long userId);

    /** Every token of a user still held, revoked ones included (until the purge takes them), newest first. */
    List<ClientToken> everyOf(long userId);

    boolean revoke(Tx tx, String id, Instant now);

    /** Revokes every unrevoked token of a user; returns their ids. */
    List<String> revokeAll(Tx tx, long userId, Instant now);

    /** Replaces the secret of an active token; false if there is none. */
    boolean replaceSecret(Tx tx, String id, String secretHash);

    void touch(String id, Instant usedAt);

    /** Deletes up to {@code batch} tokens revoked or expired before {@code before}; returns how many. */
    int purgeDead(Instant before, int batch);
}
