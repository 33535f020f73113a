package latch.invite;

import latch.user.Role;

import java.time.Instant;

/** An invitation to create an account with a given role, usable {@code maxUses} times until it expires. */
public record Invite(String id, Role role, Long createdBy, Instant createdAt, Instant expiresAt, int maxUses, int uses,
                     Instant revokedAt) {

    public boolean usable(Instant now) {
        return revokedAt == null && uses < maxUses && now.isBefore(expiresAt);
    }
}
