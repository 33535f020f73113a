package latch.pairing;

import latch.db.Tx;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Pairing codes and device authorizations at rest; codes, device codes and user codes by SHA-256 only. Every
 * check-then-act is one conditional statement, so concurrent callers get one winner on any database.
 */
public interface PairingStore {
    /** Stores a pairing code; false if the same code is already stored (the caller draws another). */
    boolean createCode(Tx tx, String codeHash, String tokenId, Instant now, Instant expiresAt);

    /** Spends a pairing code: of two concurrent exchanges exactly one gets the token id. */
    Optional<String> consumeCode(Tx tx, String codeHash, Instant now);

    /** Stores a new device request; false if its user code is already taken (the caller draws another). */
    boolean createDevice(Tx tx, String deviceCodeHash, DeviceAuthorization authorization);

    Optional<DeviceAuthorization> findByUserCode(String userCodeHash);

    /** Records the user's decision on a pending, unexpired request; false if it was not pending any more. */
    boolean decide(Tx tx, String userCodeHash, DeviceAuthorization.Status decision, long userId, String tokenName,
                   Set<String> scopes, Long expiresIn, Instant now);

    /**
     * One poll by the device: records the poll time, widens the interval by {@code slowDownSeconds} when the
     * device polled too soon, and returns the request as it is after the poll.
     */
    Optional<DeviceAuthorization> poll(Tx tx, String deviceCodeHash, Instant now, int slowDownSeconds);

    /** Marks an approved request delivered; false if it was not approved any more (someone collected it first). */
    boolean markDelivered(Tx tx, String deviceCodeHash);

    /** Deletes up to {@code batch} pairing codes and device requests that expired before {@code before}. */
    int purgeExpired(Instant before, int batch);
}
