package latch.user;

import java.time.Instant;

/**
 * A person who can sign in. {@code passwordHash} is null for accounts that sign in another way. {@code revision}
 * changes with every change to the account's row, so answers cached per identity are keyed by it.
 * {@code netplayUsername} is the name they show in online play: the one they chose, else their username; never null.
 */
public record User(long id, String username, String passwordHash, Role role, boolean enabled,
                   String displayName, String email, String netplayUsername, Instant createdAt, long revision) {

    public User {
        if (netplayUsername == null) {
            netplayUsername = username;
        }
    }

    public UserView view() {
        return new UserView(id, username, role.wireName());
    }
}
