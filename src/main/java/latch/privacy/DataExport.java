package latch.privacy;

import latch.audit.AuditEvent;

import java.util.List;

/**
 * Everything Latch holds about one person, as they download it: never a password hash, a token's secret or hash,
 * nor anything about anyone else (see {@link latch.audit.AuditService#exportFor}).
 */
public record DataExport(String exportedAt, Profile profile, List<Identity> linkedIdentities, List<SessionRecord> sessions,
                         List<TokenRecord> clientTokens, List<AuditEvent> auditEvents) {

    /** {@code hasPassword}: whether one is set; never the hash. */
    public record Profile(long id, String username, String role, boolean enabled, String displayName, String email,
                          String netplayUsername, String createdAt, boolean hasPassword) {}

    /** A provider's account linked for single sign-on: who the provider says they are. */
    public record Identity(long id, String issuer, String subject, String email, String linkedAt, String lastUsedAt) {}

    /** A sign-in or OAuth grant, ended ones included until the purge takes them. */
    public record SessionRecord(String id, String kind, String scope, String createdAt, String lastSeenAt, String expiresAt,
                                String endedAt, String ip, String userAgent) {}

    /** A client API token's metadata, revoked ones included until the purge takes them; never its secret. */
    public record TokenRecord(String id, String name, List<String> scopes, List<String> networks, String device,
                              String createdAt, String expiresAt, String lastUsedAt, String revokedAt) {}
}
