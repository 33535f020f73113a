package latch.clienttoken;

import latch.http.Cidr;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A long-lived API token of a user, for scripts, companion apps and paired devices. Its scopes are a subset of
 * the owner's, chosen at creation; at use they are intersected with what the owner holds then.
 */
public record ClientToken(String id, long userId, String name, Set<String> scopes, String secretHash, List<Cidr> networks,
                         String device, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    public ClientToken {
        scopes = Set.copyOf(scopes);
        networks = List.copyOf(networks);
    }

    public boolean isActive(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** The token as the audit log names it: by the name its owner gave it, never by its internal id. */
    public String described() {
        return "client token '" + name + "'";
    }

    public boolean allows(String ip) {
        if (networks.isEmpty()) {
            return true;
        }
        for (Cidr network : networks) {
            if (network.contains(ip)) {
                return true;
            }
        }
        return false;
    }
}
