package latch.token;

import java.time.Instant;

/**
 * What a Latch JWT says: who, which session (or OAuth grant) it belongs to, which token it is, when it stops
 * being valid, and for access tokens the scopes it carries (null for session tokens, which carry the role's).
 */
public record TokenClaims(String subject, String sessionId, String tokenId, Instant issuedAt, Instant expiresAt,
                          String scope) {}
