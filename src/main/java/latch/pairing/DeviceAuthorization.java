package latch.pairing;

import java.time.Instant;
import java.util.Set;

/**
 * One RFC 8628 device authorization request, from the device's first call until its token is delivered. The user
 * code is known only as its hash; {@code polledTooSoon} says whether the poll that read this came before
 * {@code intervalSeconds} had passed (and so widened it).
 */
public record DeviceAuthorization(String userCodeHash, String clientName, Set<String> requestedScopes, Status status,
                                  Long userId, String tokenName, Set<String> tokenScopes, Long tokenExpiresIn,
                                  Instant createdAt, Instant expiresAt, int intervalSeconds, Instant lastPollAt,
                                  boolean polledTooSoon) {

    public enum Status { PENDING, APPROVED, DENIED, DELIVERED }

    public DeviceAuthorization {
        requestedScopes = Set.copyOf(requestedScopes);
        tokenScopes = tokenScopes == null ? null : Set.copyOf(tokenScopes);
    }
}
