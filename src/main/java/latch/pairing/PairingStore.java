package latch.pairing;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Pairing codes and device authorizations at rest; codes and device codes by SHA-256 only. */
public interface PairingStore {
    /** Stores a pairing code; false if the same code is already stored (the caller draws another). */
    boolean createCode(String codeHash, String tokenId, Instant now, Instant expiresAt);

    /** Spends a pairing code, atomically: of two concurrent exchanges exactly one gets the token id. */
    Optional<String> consumeCode(String codeHash, Instant now);

    /** Stores a new device request; false if its user code is already taken (the caller draws another). */
    boolean createDevice(String deviceCodeHash, DeviceAuthorization authorization);

    Optional<DeviceAuthorization> findByUserCode(String userCode);

    /** Records the user's decision on a pending, unexpired request; false if it was not pending any more. */
    boolean decide(String userCode, DeviceAuthorization.Status decision, long userId, String tokenName, Set<String> scopes,
                   Long expiresIn, Instant now);

    /**
     * One poll by the device, atomically: returns the request as it was, records the poll time, and widens the
     * interval by {@code slowDownSeconds} when the device polled too soon.
     */
    Optional<Poll> poll(String deviceCodeHash, Instant now, int slowDownSeconds);

    /**
     * Marks an approved request delivered and runs {@code mint} in the same transaction: if {@code mint} throws,
     * the request stays approved. Empty if it was not approved any more (someone else collected it first).
     */
    <T> Optional<T> deliver(String deviceCodeHash, Supplier<T> mint);

    record Poll(DeviceAuthorization authorization, boolean tooSoon) {}
}
