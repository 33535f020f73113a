package latch.invite;

import latch.db.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Invitations at rest; only the SHA-256 of an invite token is ever stored. */
public interface InviteStore {
    void create(Tx tx, Invite invite, String tokenHash);

    /** Invitations newest first, whatever became of them, until {@link #purgeSpent} deletes them. */
    List<Invite> list();

    /** The invite with this token hash, whatever its state; empty if there is none. */
    Optional<Invite> findByTokenHash(String tokenHash);

    /** Revokes an invite and returns it as it was; empty if there is none with that id or it is already revoked. */
    Optional<Invite> revoke(Tx tx, String id, Instant now);

    /**
     * Spends one use of the usable invite with this token hash, in one conditional statement: of two concurrent
     * registrations on a single-use invite exactly one gets it. Empty if it is unknown, revoked, used up or expired.
     */
    Optional<Invite> spend(Tx tx, String tokenHash, Instant now);

    /** Deletes up to {@code batch} invites that were revoked, used up or expired before {@code before}. */
    int purgeSpent(Instant before, int batch);
}
