package latch.session;

import latch.db.Tx;

import java.time.Instant;
import java.util.function.ObjLongConsumer;

/** The durable blocklist, so a signed-out token stays dead across a restart and in every process. */
public interface RevocationStore {
    /** Records the revocation; true if it is new, false if {@code id} was already revoked (its expiry may grow). */
    boolean insert(Tx tx, String id, Instant until);

    /** Whether {@code id} is revoked and its revocation still in force at {@code now}. */
    boolean isRevoked(String id, Instant now);

    /** How many revocations are in force at {@code now}, counting no further than {@code atMost}. */
    int countActive(Instant now, int atMost);

    /** Every revocation in force at {@code now}: its id and the epoch second it ends, streamed. */
    void forEachActive(Instant now, ObjLongConsumer<String> revocation);

    /** Deletes up to {@code batch} revocations that ended by {@code now}; returns how many. */
    int purgeExpired(Instant now, int batch);
}
