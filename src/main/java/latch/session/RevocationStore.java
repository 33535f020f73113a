package latch.session;

import java.time.Instant;
import java.util.Map;

/** The durable copy of the blocklist, so a signed-out token stays dead across a restart. */
public interface RevocationStore {
    /** Records the revocation; true if it is new, false if {@code id} was already revoked. */
    boolean save(String id, Instant until);

    /** Every revocation still in force at {@code now}. */
    Map<String, Instant> active(Instant now);

    /** Drops revocations whose tokens have expired; returns how many. */
    int purgeExpired(Instant now);
}
