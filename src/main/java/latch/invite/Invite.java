package latch.invite;

import latch.user.Role;

import java.time.Instant;

/**
 * An invitation to create an account with a given role, usable {@code maxUses} times until it expires. {@code name}
 * is the admin's own label for it, or null.
 */
public record Invite(String id, Role role, Long createdBy, Instant createdAt, Instant expiresAt, int maxUses, int uses,
                     Instant revokedAt, String name) {

    public boolean usable(Instant now) {
        return revokedAt == null && uses < maxUses && now.isBefore(expiresAt);
    }

    /** What became of it by {@code now}, its creator's authority aside (see {@link InviteState#VOID}). */
    public InviteState state(Instant now) {
        if (revokedAt != null) {
            return InviteState.REVOKED;
        }
        if (uses >= maxUses) {
            return InviteState.USED_UP;
        }
        return now.isBefore(expiresAt) ? InviteState.ACTIVE : InviteState.EXPIRED;
    }
}
