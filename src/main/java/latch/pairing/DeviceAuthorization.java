package latch.pairing;

import java.time.Instant;
import java.util.Set;

/** One RFC 8628 device authorization request, from the device's first call until its token is delivered. */
public record DeviceAuthorization(String userCode, String clientName, Set<String> requestedScopes, Status status,
                                  Long userId, String tokenName, Set<String> tokenScopes, Long tokenExpiresIn,
                                  Instant createdAt, Instant expiresAt, int intervalSeconds, Instant lastPollAt) {

    public enum Status { PENDING, APPROVED, DENIED, DELIVERED }

    public DeviceAuthorization {
        requestedScopes = Set.copyOf(requestedScopes);
        tokenScopes = tokenScopes == null ? null : Set.copyOf(tokenScopes);
    }
}
