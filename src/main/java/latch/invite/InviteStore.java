package latch.invite;

import latch.user.NewUser;
import latch.user.User;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Invitations at rest; only the SHA-256 of an invite token is ever stored. */
public interface InviteStore {
    void create(Invite invite, String tokenHash);

    List<Invite> list(Instant now);

    /** Revokes an invite; false if there is none with that id or it is already revoked. */
    boolean revoke(String id, Instant now);

    /**
     * Spends one use of the invite with this token hash and creates the user, as one atomic step: of two
     * concurrent registrations on a single-use invite, exactly one gets an account.
     */
    Redemption redeem(String tokenHash, Instant now, NewUserFromInvite user);

    /** Builds the account from the invite's role. */
    interface NewUserFromInvite {
        NewUser with(Invite invite);
    }

    /** The outcome of a redemption: the invite and the new user, or why not. */
    record Redemption(Optional<Invite> invite, Optional<User> user, boolean usernameTaken) {}
}
