package latch.recovery;

import latch.db.Tx;

import java.time.Instant;
import java.util.Optional;

/** One-time links at rest; only the SHA-256 digest of a link's secret is ever stored. */
public interface OneTimeLinkStore {
    void create(Tx tx, String digest, long userId, LinkPurpose purpose, Instant createdAt, Instant expiresAt);

    /** Spends every unspent link of this user and purpose (a newer one replaces them); returns how many. */
    int voidUnspent(Tx tx, long userId, LinkPurpose purpose, Instant now);

    /**
     * Spends the link with this digest and purpose if it is unspent and unexpired, in one conditional statement, so
     * of two simultaneous uses exactly one gets it; the user it belongs to, or empty.
     */
    Optional<Long> spend(Tx tx, String digest, LinkPurpose purpose, Instant now);

    /** Deletes up to {@code batch} links that were spent or had expired before {@code before}. */
    int purgeDead(Instant before, int batch);
}
