package latch.oidc;

import latch.db.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Linked provider accounts, and the ID tokens sessions were opened with. SQLite today; PostgreSQL later. */
public interface IdentityStore {
    Optional<LinkedIdentity> find(String issuer, String subject);

    List<LinkedIdentity> forUser(long userId);

    /** Links; empty when this (issuer, subject) is already someone's (the unique key decides, not a prior read). */
    Optional<LinkedIdentity> link(Tx tx, long userId, String issuer, String subject, String email, Instant now);

    void touch(long id, String email, Instant now);

    /**
     * Unlinks in one conditional statement: only while the account keeps another way in (a usable password, when
     * {@code passwordCounts}, or another linked identity). False when it would not, or there is no such identity.
     */
    boolean unlinkKeepingAWayIn(long userId, long id, boolean passwordCounts);

    void keepIdToken(String sessionId, byte[] sealed);

    Optional<byte[]> idToken(String sessionId);
}
