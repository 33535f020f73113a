package latch.token;

import java.time.Instant;

/** What a session-style token says: who, which session, which token, and when it stops being valid. */
public record TokenClaims(String subject, String sessionId, String tokenId, Instant issuedAt, Instant expiresAt) {}
