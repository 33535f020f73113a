package latch.sfu;

import java.time.Instant;

/**
 * What a verified netplay token says. {@code uid} is null for tokens of other issuers (their user ids mean nothing
 * here): a person from another instance is {@code (issuer, subject)}, never the subject alone.
 */
public record NetplayClaims(String issuer, String subject, Long uid, String netplayUsername, NetplayTokenType type,
                            String jti, Instant issuedAt, Instant expiresAt, String kid) {}
