package latch.change;

import java.time.Instant;

/**
 * Something a service changed that caches, here and in every other Latch process, must learn of. Published in
 * the transaction that makes the change ({@link ChangeFeed#publish}); a cache that holds what a change touches
 * subscribes to its type, so a cache whose owner forgot to subscribe is a bug found by reading one file.
 */
public sealed interface Change {
    /** A change that concerns one user's account. */
    sealed interface AboutUser extends Change {
        long userId();
    }

    /** Profile, role or enabled state changed. */
    record UserChanged(long userId) implements AboutUser {}

    /** The account was disabled: its sessions end, its tokens stop. */
    record UserDisabled(long userId) implements AboutUser {}

    /** The account is gone. */
    record UserDeleted(long userId) implements AboutUser {}

    /**
     * The password was replaced (an admin's reset, the command line, or the user's own change): every session
     * ends except {@code keepSessionId} (may be null), and the user's client API tokens unless they are kept.
     */
    record PasswordChanged(long userId, String keepSessionId, boolean revokeClientTokens) implements AboutUser {}

    /** One session or OAuth grant ended, or its expiry moved. */
    record SessionChanged(String sessionId) implements Change {}

    /** Several of one user's sessions ended at once. */
    record UserSessionsEnded(long userId) implements Change {}

    /** A token must be refused until {@code until}, when it would have expired anyway. */
    record TokenRevoked(String tokenId, Instant until) implements Change {}

    /** A client API token was created, revoked or given a new secret. */
    record ClientTokenChanged(String tokenId) implements Change {}

    /** Signing keys of {@code purpose} were rotated or retired. */
    record KeysRotated(String purpose) implements Change {}

    /**
     * The issuer registry changed (an issuer added, edited, disabled or removed): every process reloads it and drops
     * the keys it fetched for an issuer that is gone, disabled or now fetched from elsewhere.
     */
    record IssuersChanged() implements Change {}

    /**
     * Delivered locally, never published: this process cannot vouch it saw every change (it fell behind what the
     * feed keeps), so every cache forgets everything and reloads.
     */
    record Resync() implements Change {}
}
