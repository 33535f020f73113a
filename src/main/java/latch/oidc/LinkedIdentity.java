package latch.oidc;

import java.time.Instant;

/** A provider's account ({@code issuer}, {@code subject}) that signs in as the Latch account {@code userId}. */
public record LinkedIdentity(long id, long userId, String issuer, String subject, String email, Instant createdAt,
                             Instant lastUsedAt) {}
